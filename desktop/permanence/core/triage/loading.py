"""Reading and validating the triage catalog files (compilation is in `catalog`).

`catalog.toml` names the lexicon and the rule files, the practice kinds with their French
labels, kind groups ("medical") and each level's default disposition and delay.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from permanence.core.triage.errors import CatalogError
from permanence.core.triage.levels import Level
from permanence.core.triage.lexicon import Lexicon, lexicon_from_toml
from permanence.core.triage.rules import Rule, RuleReader

MANIFEST = "catalog.toml"
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class LevelDefaults:
    """What to do at a level when a rule (or a practitioner override) says nothing more."""

    disposition: str
    max_delay_hours: float | None


@dataclass(frozen=True)
class CatalogData:
    """The validated content of the catalog files, before compilation."""

    rules: tuple[Rule, ...]
    lexicon: Lexicon
    kinds: dict[str, str]
    levels: dict[Level, LevelDefaults]
    files: tuple[Path, ...]


def read_toml(path: Path) -> dict[str, Any]:
    """Parsed TOML file; any problem becomes a CatalogError naming the file (and line)."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise CatalogError(path, "fichier introuvable") from None
    except OSError as exc:
        raise CatalogError(path, f"lecture impossible ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise CatalogError(path, "le fichier n'est pas en UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_POSITION.search(str(exc))
        position = f" ligne {where.group(1)}, colonne {where.group(2)}" if where else ""
        detail = _TOML_POSITION.sub("", str(exc)).strip()
        raise CatalogError(path, f"syntaxe TOML invalide{position} ({detail})") from None


def _table(data: Mapping[str, Any], key: str, file: Path) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise CatalogError(file, f"la table [{key}] est absente ou mal formée", key)
    return value


def _levels(data: Mapping[str, Any], file: Path) -> dict[Level, LevelDefaults]:
    table = _table(data, "levels", file)
    levels: dict[Level, LevelDefaults] = {}
    for level in Level:
        raw = table.get(level.value)
        if not isinstance(raw, dict) or not isinstance(raw.get("disposition"), str):
            raise CatalogError(file, "disposition par défaut manquante", f"levels.{level.value}")
        hours = raw.get("max_delay_hours")
        if hours is not None and (isinstance(hours, bool) or not isinstance(hours, int | float)):
            raise CatalogError(file, "« max_delay_hours » doit être un nombre", f"levels.{level}")
        levels[level] = LevelDefaults(raw["disposition"], None if hours is None else float(hours))
    return levels


def _kind_groups(
    data: Mapping[str, Any], kinds: Mapping[str, str], file: Path
) -> dict[str, frozenset[str]]:
    groups = {kind: frozenset({kind}) for kind in kinds}
    for name, members in data.get("kind_groups", {}).items():
        if not isinstance(members, list) or any(m not in kinds for m in members):
            raise CatalogError(
                file, "le groupe doit lister des types connus", f"kind_groups.{name}"
            )
        groups[name] = frozenset(members)
    return groups


def _rule_file(path: Path, reader: RuleReader) -> list[Rule]:
    data = read_toml(path)
    unknown = set(data) - {"file", "rule"}
    if unknown:
        raise CatalogError(path, f"section inconnue : {', '.join(sorted(unknown))}")
    header = data.get("file", {})
    default_kinds = header.get("kinds") if isinstance(header, dict) else None
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise CatalogError(path, "aucune règle [[rule]] dans ce fichier")
    return [reader.read(raw, i + 1, default_kinds) for i, raw in enumerate(raw_rules)]


def read_catalog(manifest: Path) -> CatalogData:
    """Read and validate every file named by the manifest (`catalog.toml`)."""
    data = read_toml(manifest)
    section = _table(data, "catalog", manifest)
    kinds = {str(k): str(v) for k, v in _table(data, "kinds", manifest).items()}
    levels = _levels(data, manifest)
    lexicon_path = manifest.parent / str(section.get("lexicon", "lexicon.toml"))
    lexicon = lexicon_from_toml(read_toml(lexicon_path), lexicon_path)
    files = section.get("files")
    if not isinstance(files, list) or not files:
        raise CatalogError(manifest, "« files » doit lister les fichiers de règles", "catalog")
    reader_args = (
        _kind_groups(data, kinds, manifest),
        frozenset(lexicon.concepts),
        frozenset(m.name for m in lexicon.measures),
        {level: defaults.max_delay_hours for level, defaults in levels.items()},
    )
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for name in files:
        path = manifest.parent / str(name)
        for rule in _rule_file(path, RuleReader(path, *reader_args)):
            if rule.id in seen:
                raise CatalogError(path, f"identifiant déjà utilisé dans {seen[rule.id]}", rule.id)
            seen[rule.id] = path.name
            rules.append(rule)
    paths = (manifest, lexicon_path, *(manifest.parent / str(n) for n in files))
    return CatalogData(_shared_synonyms(rules, manifest.parent), lexicon, kinds, levels, paths)


def _shared_synonyms(rules: list[Rule], folder: Path) -> tuple[Rule, ...]:
    """Rules naming `synonyms_from` get that rule's wordings after their own."""
    by_id = {rule.id: rule for rule in rules}
    resolved: list[Rule] = []
    for rule in rules:
        if rule.synonyms_from is None:
            resolved.append(rule)
            continue
        source = by_id.get(rule.synonyms_from)
        if source is None or source.synonyms_from is not None:
            problem = "inconnue" if source is None else "elle-même empruntée à une autre règle"
            raise CatalogError(
                folder / rule.file,
                f"« synonyms_from » : la règle « {rule.synonyms_from} » est {problem}",
                rule.id,
            )
        resolved.append(replace(rule, synonyms=(*rule.synonyms, *source.synonyms)))
    return tuple(resolved)
