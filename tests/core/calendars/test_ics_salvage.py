"""Broken input: what can be kept is kept, the rest is reported, nothing else is raised."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ics_helpers import PARIS, YEAR_2027, fixture_bytes, import_fixture, starts, utc

from permanence.core.calendars import CalendarImportError, Skipped, import_calendar


def test_one_broken_component_never_rejects_the_others() -> None:
    result = import_fixture("salvage.ics")
    assert result.events == 5
    assert [item.uid for item in result.busy] == [
        "bon",
        "alarme-cassee",
        "tzid-vide",
        "fuseau-inconnu",
        "fuseau-casse",
    ]
    skipped = {(item.component, item.uid) for item in result.skipped}
    assert skipped == {
        ("VTIMEZONE", None),
        ("VTIMEZONE", "Fuseau cassé"),
        ("VALARM", "alarme-cassee"),
        ("VEVENT", "sans-debut"),
        ("VEVENT", "date-illisible"),
        ("VEVENT", "regle-cassee"),
    }


def test_skip_reasons_are_french_and_name_the_problem() -> None:
    reasons = {item.uid: item.reason for item in import_fixture("salvage.ics").skipped}
    assert "date de début (DTSTART)" in reasons["sans-debut"]
    assert "DTSTART" in reasons["date-illisible"]
    assert "RRULE" in reasons["regle-cassee"]
    assert "Alarme illisible" in reasons["alarme-cassee"]
    assert "l'événement est gardé" in reasons["alarme-cassee"]
    assert "sans identifiant TZID" in reasons[None]
    assert "Offset must be less than 24 hours" in reasons["Fuseau cassé"]
    assert "fuseau du praticien (Europe/Paris)" in reasons["Fuseau cassé"]


def test_an_event_with_a_bad_alarm_keeps_its_busy_time() -> None:
    assert starts(import_fixture("salvage.ics"), "alarme-cassee") == [utc(2027, 1, 13, 8)]


def test_empty_or_unknown_tzid_is_read_in_the_practitioner_zone_with_a_warning() -> None:
    result = import_fixture("salvage.ics")
    assert starts(result, "tzid-vide") == [utc(2027, 1, 14, 8)]
    assert starts(result, "fuseau-inconnu") == [utc(2027, 1, 17, 8)]
    assert starts(result, "fuseau-casse") == [utc(2027, 1, 18, 8)]
    assert any(
        "Mars/Olympus_Mons" in warning and "Europe/Paris" in warning for warning in result.warnings
    )


def test_a_truncated_file_keeps_its_complete_events() -> None:
    result = import_fixture("truncated.ics")
    assert starts(result, "complet") == [utc(2027, 1, 12, 8)]
    assert result.skipped == (Skipped("coupe", result.skipped[0].reason),)
    assert "incomplet" in result.skipped[0].reason
    assert any("END:VCALENDAR" in warning for warning in result.warnings)


def test_bom_crlf_and_a_fold_inside_a_character() -> None:
    data = fixture_bytes("bom_crlf.ics")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # the fixture kept its bytes
    result = import_fixture("bom_crlf.ics")
    assert [(item.start, item.summary) for item in result.busy] == [
        (utc(2027, 1, 12, 8), "Rendez-vous pour un contrôle annuel")
    ]
    assert any("hors de tout composant" in warning for warning in result.warnings)


def test_lone_cr_and_lf_line_endings_give_the_same_result() -> None:
    lf = fixture_bytes("recurrences.ics").replace(b"\r\n", b"\n")
    results = [
        import_calendar(data, tz=PARIS, window=YEAR_2027)
        for data in (lf, lf.replace(b"\n", b"\r\n"), lf.replace(b"\n", b"\r"))
    ]
    assert results[0].busy == results[1].busy == results[2].busy


def test_a_file_with_nothing_usable_gives_a_clear_error() -> None:
    with pytest.raises(CalendarImportError, match=r"^Aucun événement exploitable") as caught:
        import_fixture("nothing_usable.ics")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\xff\xfe garbage \x80\x81",
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        b"<html><body>502 Bad Gateway</body></html>",
        b"BEGIN:VEVENT\nDTSTART:" + b"9" * 200_000 + b"\nEND:VEVENT\n",
        b"BEGIN:VCALENDAR\nX" + b"y" * 1_000_000 + b"\n",
        b"BEGIN:VEVENT\n" * 5_000,
    ],
    ids=["empty", "binary", "empty-calendar", "html", "huge-date", "huge-line", "nested"],
)
def test_junk_gives_only_calendar_import_error(data: bytes) -> None:
    with pytest.raises(CalendarImportError) as caught:
        import_calendar(data, tz=PARIS, window=YEAR_2027)
    assert "erreur inattendue" not in str(caught.value)


def test_a_secondly_rule_is_refused_not_expanded_for_ever() -> None:
    data = (
        b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:seconde\nDTSTART:20270101T000000Z\n"
        b"DTEND:20270101T000001Z\nRRULE:FREQ=SECONDLY\nEND:VEVENT\n"
        b"BEGIN:VEVENT\nUID:normal\nDTSTART:20270105T080000Z\nDTEND:20270105T090000Z\n"
        b"END:VEVENT\nEND:VCALENDAR\n"
    )
    result = import_calendar(data, tz=PARIS, window=YEAR_2027)
    assert [item.uid for item in result.busy] == ["normal"]
    assert [item.uid for item in result.skipped] == ["seconde"]
    assert "trop fine" in result.skipped[0].reason


def test_a_series_with_too_many_occurrences_in_the_window_is_refused() -> None:
    data = (
        b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:quart-d-heure\nDTSTART:20270101T000000Z\n"
        b"DTEND:20270101T000500Z\nRRULE:FREQ=MINUTELY;INTERVAL=15\nEND:VEVENT\n"
        b"BEGIN:VEVENT\nUID:normal\nDTSTART:20270105T080000Z\nDTEND:20270105T090000Z\n"
        b"END:VEVENT\nEND:VCALENDAR\n"
    )
    result = import_calendar(data, tz=PARIS, window=YEAR_2027)
    assert [item.uid for item in result.busy] == ["normal"]
    assert "occurrences dans la fenêtre" in result.skipped[0].reason


_FIXTURE_TEXT = b"".join(
    fixture_bytes(name)
    for name in ("salvage.ics", "recurrences.ics", "windows_zones.ics", "google_x_wr_timezone.ics")
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cuts=st.lists(st.integers(min_value=0, max_value=len(_FIXTURE_TEXT)), max_size=6),
    noise=st.binary(max_size=40),
)
def test_mangled_files_never_raise_anything_else(cuts: list[int], noise: bytes) -> None:
    data = _FIXTURE_TEXT
    for cut in sorted(cuts, reverse=True):
        data = data[:cut] + noise + data[cut + len(noise) // 2 :]
    try:
        result = import_calendar(data, tz=PARIS, window=YEAR_2027)
    except CalendarImportError as error:
        assert "erreur inattendue" not in str(error)
    else:
        assert result.events > 0
