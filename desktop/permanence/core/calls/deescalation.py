"""The "appelant mécontent" phrase book (resources/phrases/deescalade.toml), validated.

A mistake in the file raises DataFileError naming the file, the line when it can be found,
and the entry, like the demo and the triage catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from permanence.core.calls.outcomes import OUTCOMES
from permanence.core.demo.reader import Entry, load_toml
from permanence.core.resources import resource_path

DEFAULT_FILE = ("phrases", "deescalade.toml")
#: What a quick solution makes the call screen do.
SOLUTION_ACTIONS: dict[str, str] = {
    "slot": "propositions de créneaux",
    "waitlist": "liste d'attente",
    "transfer": "transfert",
    "message": "prise de message",
}
MIN_PHRASES, MAX_PHRASES = 2, 4

_FIELDS = {
    "phrasebook": {"title", "intro", "sources"},
    "steps": {"key", "title", "goal", "phrases"},
    "avoid": {"phrase", "why", "instead"},
    "solutions": {"key", "label", "action", "outcome", "phrases", "follow_up"},
}


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    title: str
    goal: str  # why this step matters
    phrases: tuple[str, ...]  # phrases to use


@dataclass(frozen=True, slots=True)
class AvoidPhrase:
    phrase: str
    why: str
    instead: str  # what to say instead


@dataclass(frozen=True, slots=True)
class QuickSolution:
    key: str
    label: str
    action: str  # one of SOLUTION_ACTIONS
    outcome: str  # the call outcome it leads to
    phrases: tuple[str, ...]
    follow_up: str  # suggested follow-up description; empty: none

    @property
    def action_label(self) -> str:
        return SOLUTION_ACTIONS[self.action]


@dataclass(frozen=True, slots=True)
class PhraseBook:
    title: str
    intro: str
    steps: tuple[Step, ...]
    avoid: tuple[AvoidPhrase, ...]
    solutions: tuple[QuickSolution, ...]
    sources: tuple[str, ...]

    def step(self, key: str) -> Step:
        return next(s for s in self.steps if s.key == key)

    def solution(self, key: str) -> QuickSolution:
        return next(s for s in self.solutions if s.key == key)


def load_phrasebook(path: Path | None = None) -> PhraseBook:
    """Read and check the phrase book (the shipped one by default)."""
    path = path or resource_path(*DEFAULT_FILE)
    data = load_toml(path)
    lines = _lines(path)
    root = Entry(path.name, "fichier", data)
    _no_unknown(root, set(_FIELDS))
    book = root.table("phrasebook")
    _no_unknown(book, _FIELDS["phrasebook"])
    steps = tuple(_step(e) for e in _tables(root, "steps", lines))
    avoid = tuple(_avoid(e) for e in _tables(root, "avoid", lines))
    solutions = tuple(_solution(e) for e in _tables(root, "solutions", lines))
    for what, items in (("étape", steps), ("solution", solutions)):
        _unique(root, [item.key for item in items], what)
    _unique(root, [a.phrase.casefold() for a in avoid], "phrase à éviter")
    return PhraseBook(
        title=book.text("title"),
        intro=book.text("intro"),
        steps=steps,
        avoid=avoid,
        solutions=solutions,
        sources=tuple(book.texts("sources", required=True)),
    )


def _tables(root: Entry, key: str, lines: list[str]) -> list[Entry]:
    entries = root.tables(key)
    if not entries:
        raise root.fail(f"aucune entrée [[{key}]]")
    located = []
    for index, entry in enumerate(entries, start=1):
        label = entry.data.get("key") or entry.data.get("phrase") or index
        where = f"[[{key}]] « {label} »"
        line = _line_of(lines, label) if isinstance(label, str) else None
        if line is not None:
            where = f"ligne {line}, {where}"
        located.append(Entry(root.file, where, entry.data))
    for entry in located:
        _no_unknown(entry, _FIELDS[key])
    return located


def _step(entry: Entry) -> Step:
    return Step(
        key=entry.text("key"),
        title=entry.text("title"),
        goal=entry.text("goal"),
        phrases=_phrases(entry),
    )


def _avoid(entry: Entry) -> AvoidPhrase:
    return AvoidPhrase(
        phrase=entry.text("phrase"), why=entry.text("why"), instead=entry.text("instead")
    )


def _solution(entry: Entry) -> QuickSolution:
    action = entry.text("action")
    if action not in SOLUTION_ACTIONS:
        raise entry.fail(f"action « {action} » inconnue (attendu : {', '.join(SOLUTION_ACTIONS)})")
    outcome = entry.text("outcome")
    if outcome not in OUTCOMES:
        raise entry.fail(f"issue « {outcome} » inconnue (attendu : {', '.join(OUTCOMES)})")
    return QuickSolution(
        key=entry.text("key"),
        label=entry.text("label"),
        action=action,
        outcome=outcome,
        phrases=_phrases(entry),
        follow_up=entry.text("follow_up", ""),
    )


def _phrases(entry: Entry) -> tuple[str, ...]:
    phrases = [p.strip() for p in entry.texts("phrases", required=True)]
    if any(not p for p in phrases):
        raise entry.fail("une phrase de « phrases » est vide")
    if not MIN_PHRASES <= len(phrases) <= MAX_PHRASES:
        raise entry.fail(
            f"{len(phrases)} phrase(s) dans « phrases » : il en faut de {MIN_PHRASES} "
            f"à {MAX_PHRASES}"
        )
    return tuple(phrases)


def _no_unknown(entry: Entry, known: set[str]) -> None:
    unknown = sorted(set(entry.data) - known)
    if unknown:
        raise entry.fail(
            f"champ(s) inconnu(s) : {', '.join(unknown)} (attendu : {', '.join(sorted(known))})"
        )


def _unique(root: Entry, keys: list[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise root.fail(f"{what} « {key} » en double")
        seen.add(key)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _line_of(lines: list[str], value: str) -> int | None:
    """The line where an entry's key or phrase is written (for the error message)."""
    needle = f'"{value}"'
    for number, line in enumerate(lines, start=1):
        if needle in line and ("key" in line or "phrase" in line):
            return number
    return None
