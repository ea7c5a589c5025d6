"""One text seen through the catalog: which wordings hold (not denied, not past) and why."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from permanence.core.triage.ages import format_age
from permanence.core.triage.analysis import Document
from permanence.core.triage.assessment import Evidence
from permanence.core.triage.catalog import CONCEPT, CONTEXT, SYNONYM, UNLESS, Catalog
from permanence.core.triage.patterns import Hit, Matcher
from permanence.core.triage.rules import Rule

Positions = tuple[int, ...]
DENIED, PAST = "nié", "passé ou hypothétique"
_MAX_CORRECTION_NOTES = 3
CHRONIC_DAYS = 60.0


class Scan:
    """Valid hits per owner, concepts present, measures, age and temperature of one text."""

    def __init__(self, catalog: Catalog, document: Document, age_years: float | None) -> None:
        self.catalog = catalog
        self.document = document
        self.valid: dict[tuple[int, int], list[Positions]] = defaultdict(list)
        self.denied: dict[int, list[tuple[Positions, str]]] = defaultdict(list)
        context = catalog.analyzer.context
        words = document.tokens.words
        # "chimio il y a 8 jours", "test positif il y a 2 semaines": a state that lasts.
        lasting_concepts = catalog.lexicon.word_set("lasting_concepts")
        for pattern_index, positions in catalog.find(document):
            role, owner = catalog.owners[pattern_index]
            if context.comparative_plus(positions[-1], words):
                continue  # "respire plus vite": a comparison, not "ne respire plus"
            if any(document.idiom[p] for p in positions):
                continue  # "j'en peux plus de ce bruit": a figure of speech, not a symptom
            lasting = role == CONCEPT and catalog.concepts[owner] in lasting_concepts
            reason = self.denial(positions, allow_past=lasting or role in (CONTEXT, UNLESS))
            if reason is None:
                self.valid[(role, owner)].append(positions)
            elif role == SYNONYM:
                self.denied[owner].append((positions, reason))
        self._evidence: dict[int, list[Positions] | None] = {}
        self.measures = self._valid_measures()
        self.concepts = self._concepts()
        self.intense = "intense" in self.concepts
        # An old complaint that has not changed: a 48-hour motif becomes a routine booking.
        self.stable = "chronique" in self.concepts and "aggravation" not in self.concepts
        self.fresh_complaint = not self.stable and bool(
            {"fievre", "intense", "recent"} & self.concepts.keys()
        )
        text_ages = [age for age, _ in document.quantities.ages]
        self.age_from_text = age_years is None and bool(text_ages)
        self.age = age_years if age_years is not None else (min(text_ages) if text_ages else None)
        temperatures = [v for v, _ in self.measures.get("temperature", [])]
        self.temperature = max(temperatures) if temperatures else None

    def denial(self, positions: Positions, *, allow_past: bool = False) -> str | None:
        """Why a hit does not count (negated, past or hypothetical), or None if it holds."""
        document, tokens = self.document, self.document.tokens
        if document.negated[positions[0]]:
            return DENIED
        if self.catalog.analyzer.context.post_negated(positions[-1], tokens.words, tokens.brk):
            return DENIED
        if self._negated_gap(positions):
            return DENIED
        if not allow_past and all(document.unreal[p] for p in positions):
            return PAST
        return None

    def _negated_gap(self, positions: Positions) -> bool:
        """ "ça ne saigne plus beaucoup": a negation between the words of a wording denies it."""
        if len(positions) < 2 or positions[-1] - positions[0] + 1 == len(positions):
            return False
        words = self.document.tokens.words
        context = self.catalog.analyzer.context
        inside = set(positions)
        for j in range(positions[0] + 1, positions[-1]):
            if j in inside or words[j] not in context.gap_negations:
                continue
            nxt = words[j + 1]
            if context.comparative_plus(j, words) or (
                words[j] == "plus" and (nxt in ("de", "d", "en") or nxt[:1].isdigit())
            ):
                continue  # "saigne plus fort", "saigne plus de 10 minutes"
            return True
        return False

    def _valid_measures(self) -> dict[str, list[tuple[float, int]]]:
        document = self.document
        return {
            name: [(v, i) for v, i in values if not document.negated[i] and not document.unreal[i]]
            for name, values in document.quantities.measures.items()
        }

    def _concepts(self) -> dict[str, list[Positions]]:
        concepts: dict[str, list[Positions]] = {}
        for (role, owner), hits in self.valid.items():
            if role == CONCEPT:
                concepts[self.catalog.concepts[owner]] = list(hits)
        for concept, (measure, minimum) in self.catalog.lexicon.concept_measures.items():
            reached = [(i,) for v, i in self.measures.get(measure, []) if v >= minimum]
            if reached:
                concepts.setdefault(concept, []).extend(reached)
        return concepts

    def candidates(self, kind: str) -> set[int]:
        """Rules of this kind worth checking: a wording holds, or they need none."""
        found = {owner for (role, owner) in self.valid if role == SYNONYM}
        return (found | self.catalog.condition_rules) & self.catalog.rules_for(kind)

    def rule_evidence_ok(self, index: int) -> bool:
        """True when all the conditions of rule `index` hold (cached)."""
        if index not in self._evidence:
            self._evidence[index] = self._rule_evidence(index, self.catalog.rules[index])
        return self._evidence[index] is not None

    def rule_evidence(self, index: int, rule: Rule) -> list[Positions] | None:
        """The evidence of a rule when all its conditions hold, else None."""
        if index not in self._evidence:
            self._evidence[index] = self._rule_evidence(index, rule)
        return self._evidence[index]

    def _rule_evidence(self, index: int, rule: Rule) -> list[Positions] | None:
        evidence = list(self.valid.get((SYNONYM, index), []))
        if rule.red_flag and "3114" not in rule.numbers:
            # "amputé depuis 2 ans": a sign lasting for months is not a threat to life now
            # (suicidal ideas are the exception: lasting ones still count).
            evidence = [p for p in evidence if not self._lasting_months(p)]
        if rule.synonyms and not evidence:
            return None
        for concept in rule.requires:
            if concept not in self.concepts:
                return None
            evidence.extend(self.concepts[concept])
        if rule.context and not self.valid.get((CONTEXT, index)):
            return None
        if rule.unless and self.valid.get((UNLESS, index)):
            return None
        if rule.measure is not None:
            condition = rule.measure
            values = [(i,) for v, i in self.measures.get(condition.name, []) if condition.holds(v)]
            if not values:
                return None
            evidence.extend(values)
        if rule.min_duration_days is not None and not self._lasting(
            evidence, rule.min_duration_days
        ):
            return None
        return evidence if self._age_fits(rule) else None

    def _lasting_months(self, positions: Positions) -> bool:
        clauses = self.document.clauses
        clause = clauses[positions[0]]
        return any(
            d >= CHRONIC_DAYS and clauses[i] == clause
            for d, i in self.document.quantities.durations
        )

    def _lasting(self, evidence: list[Positions], days: float) -> bool:
        clauses = self.document.clauses
        wanted = {clauses[p] for positions in evidence for p in positions}
        return any(
            d >= days and clauses[i] in wanted for d, i in self.document.quantities.durations
        )

    def _age_fits(self, rule: Rule) -> bool:
        if rule.when_age_unknown == "only":
            return self.age is None
        if self.age is None:
            if rule.age_below is None and rule.age_at_least is None:
                return True
            if rule.when_age_unknown in ("skip", "fire"):
                return rule.when_age_unknown == "fire"
            return rule.when_age_unknown in self.concepts
        if rule.age_below is not None and self.age >= rule.age_below:
            return False
        return rule.age_at_least is None or self.age >= rule.age_at_least

    def find_with(self, matcher: Matcher) -> list[Hit]:
        """Hits of another matcher (practitioner motifs) that hold in this text."""
        tokens = self.document.tokens
        hits = matcher.find(tokens.words, tokens.brk, self.document.stop, self.catalog.blockers)
        return [(i, p) for i, p in hits if self.denial(p) is None]

    def spans(self, evidence: Iterable[Positions]) -> tuple[Evidence, ...]:
        """Merged spans of the original text covering each piece of evidence."""
        tokens, text = self.document.tokens, self.document.text
        ranges = sorted({(tokens.starts[p[0]], tokens.ends[p[-1]]) for p in evidence})
        merged: list[list[int]] = []
        for start, end in ranges:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return tuple(Evidence(s, e, text[s:e]) for s, e in merged)

    def notes(self, kind: str, fired: set[str]) -> list[str]:
        """Explanations for the secretary: denied red flags, age and temperature read."""
        notes: list[str] = []
        applicable = self.catalog.rules_for(kind)
        for index, denied in self.denied.items():
            rule = self.catalog.rules[index]
            if rule.red_flag and rule.id not in fired and index in applicable:
                positions, reason = denied[0]
                words = self.spans([positions])[0].text
                notes.append(f"« {words} » non retenu ({reason}) : vérifier avec l'appelant")
        if self.age_from_text and self.age is not None:
            notes.append(f"âge lu dans le texte : {format_age(self.age)}")
        if self.temperature is not None:
            notes.append(f"température lue : {self.temperature:.1f} °C".replace(".", ","))
        # "bruits" read for "bruit": a singular or plural is not worth a note.
        corrections = [
            (typed, read)
            for typed, read in self.document.corrections
            if read.rstrip("sx") != typed.rstrip("sx")
        ]
        for typed, read in corrections[:_MAX_CORRECTION_NOTES]:
            notes.append(f"lu « {read} » pour « {typed} »")
        return notes
