"""assess(): from what the caller says to the level, the rule, the evidence and what to do.

Safety first: the highest level among the rules that fired wins, a present red flag always
wins, and nothing (practitioner override included) lowers a red flag below vital.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from permanence.core.triage.assessment import Assessment, MatchedRule
from permanence.core.triage.catalog import Catalog, default_catalog
from permanence.core.triage.consignes import BoundOverrides, bind_overrides
from permanence.core.triage.levels import Level
from permanence.core.triage.overrides import Override, ParsedOverrides
from permanence.core.triage.rules import ALL_KINDS, Rule
from permanence.core.triage.scan import Scan
from permanence.core.triage.text import fold_phrase

FALLBACK_KIND = "generaliste"
# Kinds where a lasting complaint still needs a prompt consultation (low mood, eating disorder).
LASTING_KINDS = frozenset({"psy"})
STABLE_NOTE = "plainte ancienne et stable (sans aggravation) : rendez-vous habituel"
NOTHING_FOUND = "aucun motif reconnu — demander des précisions"
EMPTY_TEXT = "motif vide — demander à l'appelant la raison de son appel"


def resolve_kind(catalog: Catalog, practice_kind: str) -> tuple[str, list[str]]:
    """The catalog kind to use and a note when falling back to the general rules."""
    key = fold_phrase(practice_kind or "").strip().replace("-", "_").replace(" ", "_")
    if key in catalog.kinds:
        return key, []
    shown = practice_kind.strip() or "vide"
    return FALLBACK_KIND, [
        f"type de cabinet inconnu (« {shown} ») : règles générales + généraliste"
    ]


def assess(
    text: str,
    practice_kind: str,
    *,
    age_years: float | None = None,
    overrides: Sequence[Override] | ParsedOverrides = (),
    catalog: Catalog | None = None,
) -> Assessment:
    """Assess one call reason typed in everyday French for a practice kind."""
    catalog = catalog or default_catalog()
    kind, notes = resolve_kind(catalog, practice_kind)
    if isinstance(overrides, ParsedOverrides):
        overrides = overrides.overrides
    bound = bind_overrides(catalog, tuple(overrides))
    notes.extend(bound.problems)
    if not text.strip():
        return _nothing(catalog, text, kind, [*notes, EMPTY_TEXT], age_years, None)
    scan = Scan(catalog, catalog.analyse(text), age_years)
    fired = [i for i in sorted(scan.candidates(kind)) if scan.rule_evidence_ok(i)]
    kept = _without_fallbacks(catalog, fired, scan.fresh_complaint)
    matched = [m for i in kept if (m := _fire(scan, i, bound, kind, notes))]
    matched.extend(_custom(scan, bound))
    notes.extend(scan.notes(kind, {m.id for m in matched}))
    if not matched:
        return _nothing(catalog, text, kind, [*notes, NOTHING_FOUND], scan.age, scan.temperature)
    return _result(catalog, scan, kind, matched, notes, _keep_level_consignes(scan, bound))


def _nothing(
    catalog: Catalog,
    text: str,
    kind: str,
    notes: list[str],
    age: float | None,
    temperature: float | None,
) -> Assessment:
    defaults = catalog.levels[Level.ROUTINE]
    delay = None if defaults.max_delay_hours is None else _hours(defaults.max_delay_hours)
    return Assessment(
        text,
        kind,
        Level.ROUTINE,
        None,
        (),
        defaults.disposition,
        (),
        None,
        delay,
        tuple(notes),
        age,
        temperature,
    )


def _hours(hours: float) -> timedelta:
    return timedelta(hours=hours)


def _specificity(rule: Rule) -> int:
    return -99 if ALL_KINDS in rule.kinds else -len(rule.kinds)


def _without_fallbacks(catalog: Catalog, fired: list[int], fresh_complaint: bool) -> list[int]:
    """Default motifs ("fallback") only raise the level when no specific motif was recognised.

    A routine default ("je voudrais un rendez-vous") stays listed: it never raises anything.
    A routine request (a certificate, the next session) does not hide a fresh complaint: a
    fever, an intense pain or one that started or worsened lately.
    """
    rules = catalog.rules
    if all(rules[i].fallback for i in fired):
        return fired
    if fresh_complaint and all(rules[i].fallback or rules[i].level is Level.ROUTINE for i in fired):
        return fired  # "un arrêt de travail, j'ai 39 depuis hier": the complaint is the point
    return [i for i in fired if not rules[i].fallback or rules[i].level is Level.ROUTINE]


def _fire(
    scan: Scan, index: int, bound: BoundOverrides, kind: str, notes: list[str]
) -> MatchedRule | None:
    rule = scan.catalog.rules[index]
    evidence = scan.rule_evidence(index, rule)
    if evidence is None:
        return None
    level = rule.level
    if rule.level_if_intense is not None and scan.intense:
        level = rule.level_if_intense
    elif level is Level.SOON and scan.stable and not rule.fallback and kind not in LASTING_KINDS:
        level = Level.ROUTINE  # "depuis des années, rien de nouveau": an old, stable complaint
        notes.append(STABLE_NOTE)
    disposition, overridden = rule.disposition, False
    override = bound.by_rule.get(index)
    if override is not None:
        level, disposition, overridden = _apply(scan.catalog, rule, level, override, notes)
    return _matched(scan, rule, level, disposition, evidence, overridden)


def _apply(
    catalog: Catalog, rule: Rule, level: Level, override: Override, notes: list[str]
) -> tuple[Level, str, bool]:
    new_level = level
    if override.level is not None and rule.red_flag and override.level is not Level.VITAL:
        notes.append(
            f"consigne du praticien non appliquée : « {override.motif} » → {override.level.label} "
            "(un signe de gravité vitale reste vital)"
        )
    elif override.level is not None:
        new_level = override.level
    disposition = rule.disposition
    if override.disposition and rule.red_flag:
        disposition = f"{rule.disposition}\nConsigne du praticien : {override.disposition}"
    elif override.disposition:
        disposition = override.disposition
    elif new_level is not level:
        disposition = catalog.levels[new_level].disposition
    notes.append(f"consigne du praticien appliquée : « {override.motif} »")
    return new_level, disposition, True


def _matched(
    scan: Scan,
    rule: Rule,
    level: Level,
    disposition: str,
    evidence: list[tuple[int, ...]],
    overridden: bool,
) -> MatchedRule:
    numbers = rule.numbers or (("15",) if level is Level.VITAL else ())
    delay = rule.max_delay
    if level is not rule.level:
        hours = scan.catalog.levels[level].max_delay_hours
        delay = None if hours is None else _hours(hours)
    return MatchedRule(
        id=rule.id,
        label=rule.label,
        level=level,
        red_flag=rule.red_flag,
        evidence=scan.spans(evidence),
        disposition=disposition,
        emergency_numbers=numbers if level is Level.VITAL else (),
        appointment_type=None if level is Level.VITAL else rule.appointment,
        max_delay=delay,
        source=rule.source,
        specific=ALL_KINDS not in rule.kinds,
        overridden=overridden,
    )


def _custom(scan: Scan, bound: BoundOverrides) -> list[MatchedRule]:
    matched: list[MatchedRule] = []
    for pattern_index, positions in scan.find_with(bound.matcher):
        override = bound.custom[pattern_index]
        if override.level is None or any(
            m.label.endswith(f"« {override.motif} »") for m in matched
        ):
            continue
        defaults = scan.catalog.levels[override.level]
        matched.append(
            MatchedRule(
                id=f"consigne_{override.line or pattern_index + 1}",
                label=f"Consigne du praticien : « {override.motif} »",
                level=override.level,
                red_flag=False,
                evidence=scan.spans([positions]),
                disposition=override.disposition or defaults.disposition,
                emergency_numbers=("15",) if override.level is Level.VITAL else (),
                appointment_type=None,
                max_delay=None
                if defaults.max_delay_hours is None
                else _hours(defaults.max_delay_hours),
                source="Consignes du praticien",
                specific=True,
                overridden=True,
            )
        )
    return matched


def _keep_level_consignes(scan: Scan, bound: BoundOverrides) -> list[Override]:
    return [
        bound.custom[i] for i, _ in scan.find_with(bound.matcher) if bound.custom[i].level is None
    ]


def _rank(rule: MatchedRule, catalog: Catalog) -> tuple[int, bool, bool, bool, int, int]:
    size = sum(e.end - e.start for e in rule.evidence)
    order = -catalog.rule_index(rule.id) if not rule.id.startswith("consigne_") else 0
    return (rule.level.rank, rule.red_flag, rule.overridden, rule.specific, size, order)


def _result(
    catalog: Catalog,
    scan: Scan,
    kind: str,
    matched: list[MatchedRule],
    notes: list[str],
    consignes: list[Override],
) -> Assessment:
    matched.sort(key=lambda m: _rank(m, catalog), reverse=True)
    winner = matched[0]
    numbers: list[str] = []
    for rule in matched:
        numbers.extend(n for n in rule.emergency_numbers if n not in numbers)
    disposition = winner.disposition
    for consigne in consignes:
        notes.append(f"consigne du praticien appliquée : « {consigne.motif} »")
        if winner.level is Level.VITAL:
            disposition = f"{disposition}\nConsigne du praticien : {consigne.disposition}"
        else:
            disposition = consigne.disposition or disposition
    return Assessment(
        text=scan.document.text,
        practice_kind=kind,
        level=winner.level,
        rule=winner,
        matched=tuple(matched),
        disposition=disposition,
        emergency_numbers=tuple(numbers) if winner.level is Level.VITAL else (),
        appointment_type=winner.appointment_type,
        max_delay=winner.max_delay,
        notes=tuple(dict.fromkeys(notes)),
        age_years=scan.age,
        temperature=scan.temperature,
    )
