"""Random input never crashes the engine and always yields a valid level."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from permanence.core.triage import Level, assess, default_catalog, parse_overrides

KINDS = [*default_catalog().kinds, "", "inconnu", "Sage-Femme"]
WORDS = st.sampled_from(
    [
        "pas",
        "de",
        "fièvre",
        "douleur",
        "poitrine",
        "il",
        "y",
        "a",
        "5",
        "ans",
        "bébé",
        "38,5",
        "mois",
        "respire",
        "plus",
        "ni",
        "sans",
        "hier",
        "ce",
        "matin",
        "bb",
        "ds",
        "🙂",
        ",",
        ".",
        "depuis",
        "semaines",
        "enceinte",
        "é",
        "œil",
        "«",
        "»",
        "→",
        "\n",
        "né",
        "en",
        "2019",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    text=st.text(max_size=300),
    kind=st.sampled_from(KINDS),
    age=st.none() | st.floats(min_value=0, max_value=120),
)
def test_random_unicode_never_crashes(text: str, kind: str, age: float | None) -> None:
    result = assess(text, kind, age_years=age)
    assert isinstance(result.level, Level)
    for span in result.evidence:
        assert text[span.start : span.end] == span.text


@settings(max_examples=300, deadline=None)
@given(words=st.lists(WORDS, max_size=40), kind=st.sampled_from(KINDS))
def test_random_french_words_never_crash(words: list[str], kind: str) -> None:
    text = " ".join(words)
    result = assess(text, kind)
    assert isinstance(result.level, Level)
    if result.level is Level.VITAL:
        assert result.emergency_numbers and not result.booking_allowed


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_parse_overrides_never_crashes(text: str) -> None:
    parsed = parse_overrides(text)
    assert all(o.motif for o in parsed.overrides)
    assess("douleur dans la poitrine", "generaliste", overrides=parsed)
