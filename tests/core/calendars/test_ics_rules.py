"""The import rules on our own fixtures, with the exact busy times they must give."""

from __future__ import annotations

from ics_helpers import NEW_YORK, PARIS, import_fixture, starts, utc

from permanence.core.calendars import ZoneMapping


def test_google_x_wr_timezone_keeps_nine_o_clock_in_paris() -> None:
    result = import_fixture("google_x_wr_timezone.ics")
    assert starts(result, "hiver-0900@google.com") == [utc(2027, 1, 12, 8)]
    assert starts(result, "ete-0900@google.com") == [utc(2027, 6, 15, 7)]
    # A weekly series written in UTC follows Paris time across the 28 March change.
    assert starts(result, "serie-utc@google.com") == [
        utc(2027, 3, 15, 8),
        utc(2027, 3, 22, 8),
        utc(2027, 3, 29, 7),
        utc(2027, 4, 5, 7),
    ]
    assert ZoneMapping("Europe/Paris", "Europe/Paris", "x-wr-timezone") in result.zones


def test_x_wr_timezone_wins_over_the_practitioner_zone_for_floating_times() -> None:
    result = import_fixture("google_x_wr_timezone.ics", tz=NEW_YORK)
    assert starts(result, "flottant@google.com") == [utc(2027, 1, 13, 13)]
    assert starts(result, "serie-utc@google.com")[2] == utc(2027, 3, 29, 7)


def test_windows_zone_names_are_mapped_to_iana() -> None:
    result = import_fixture("windows_zones.ics")
    assert starts(result, "romance-hiver") == [utc(2027, 1, 12, 8)]
    assert starts(result, "romance-ete") == [utc(2027, 6, 15, 7)]
    assert starts(result, "w-europe") == [utc(2027, 1, 13, 13)]
    zones = {zone.tzid: (zone.zone, zone.how) for zone in result.zones}
    assert zones["Romance Standard Time"] == ("Europe/Paris", "windows")
    assert zones["W. Europe Standard Time"] == ("Europe/Berlin", "windows")


def test_a_zone_defined_by_the_file_is_used() -> None:
    result = import_fixture("windows_zones.ics")
    assert starts(result, "personnalise") == [utc(2027, 1, 12, 15)]
    zones = {zone.tzid: zone.how for zone in result.zones}
    assert zones["Customized Time Zone"] == "vtimezone"


def test_two_files_with_the_same_custom_zone_name_do_not_mix() -> None:
    first = import_fixture("windows_zones.ics")
    second = import_fixture("windows_customized_other.ics")
    again = import_fixture("windows_zones.ics")
    assert starts(second, "personnalise-inde") == [utc(2027, 1, 12, 4, 30)]
    assert starts(first, "personnalise") == starts(again, "personnalise") == [utc(2027, 1, 12, 15)]


def test_outlook_display_names_are_read_from_their_offset() -> None:
    result = import_fixture("windows_zones.ics")
    assert starts(result, "nom-affiche-paris") == [utc(2027, 6, 16, 8)]  # summer time kept
    assert starts(result, "nom-affiche-new-york") == [utc(2027, 1, 12, 15)]
    assert any("décalage fixe" in warning for warning in result.warnings)


def test_floating_times_are_read_in_the_practitioner_zone() -> None:
    paris = import_fixture("floating.ics")
    assert starts(paris, "flottant-hiver") == [utc(2027, 1, 12, 8)]
    assert starts(paris, "flottant-ete") == [utc(2027, 6, 15, 7)]
    new_york = import_fixture("floating.ics", tz=NEW_YORK)
    assert starts(new_york, "flottant-hiver") == [utc(2027, 1, 12, 14)]
    assert starts(new_york, "flottant-ete") == [utc(2027, 6, 15, 13)]
    assert ZoneMapping("(heure flottante)", "America/New_York", "floating") in new_york.zones


def test_weekly_series_stays_at_nine_across_both_paris_dst_changes() -> None:
    result = import_fixture("recurrences.ics")
    assert starts(result, "serie-printemps") == [
        utc(2027, 3, 15, 8),
        utc(2027, 3, 22, 8),
        utc(2027, 3, 29, 7),
        utc(2027, 4, 5, 7),
    ]
    assert starts(result, "serie-automne") == [
        utc(2027, 10, 18, 7),
        utc(2027, 10, 25, 7),
        utc(2027, 11, 1, 8),
    ]
    seasons = [item for item in result.busy if item.uid in ("serie-printemps", "serie-automne")]
    assert {item.start.astimezone(PARIS).hour for item in seasons} == {9}


def test_exdate_removes_an_occurrence() -> None:
    result = import_fixture("recurrences.ics")
    assert starts(result, "serie-exdate") == [
        utc(2027, 3, 2, 9),
        utc(2027, 3, 16, 9),
        utc(2027, 3, 23, 9),
    ]


def test_recurrence_id_moves_one_occurrence() -> None:
    result = import_fixture("recurrences.ics")
    moved = [item for item in result.busy if item.uid == "serie-deplacee"]
    assert [item.start for item in moved] == [
        utc(2027, 3, 3, 10),
        utc(2027, 3, 11, 14),
        utc(2027, 3, 17, 10),
    ]
    assert moved[1].recurrence_id == utc(2027, 3, 10, 10)
    assert moved[1].end == utc(2027, 3, 11, 14, 30)
    assert moved[1].summary == "Mercredi 11 h déplacé au jeudi 15 h"


def test_rdate_adds_an_occurrence() -> None:
    result = import_fixture("recurrences.ics")
    rdate = [item for item in result.busy if item.uid == "serie-rdate"]
    assert [(item.start, item.end) for item in rdate] == [
        (utc(2027, 3, 4, 13), utc(2027, 3, 4, 14)),
        (utc(2027, 3, 11, 13), utc(2027, 3, 11, 14)),
        (utc(2027, 3, 20, 15), utc(2027, 3, 20, 16)),
    ]


def test_a_cancelled_instance_is_not_busy_but_counted() -> None:
    result = import_fixture("recurrences.ics")
    assert starts(result, "serie-annulee") == [utc(2027, 3, 5, 7), utc(2027, 3, 19, 7)]
    assert result.events == 8  # overrides are events too
    assert result.occurrences_total == result.occurrences + 1


def test_all_day_transparent_cancelled_and_free_events_are_not_busy() -> None:
    result = import_fixture("not_busy.ics")
    assert result.events == 6
    assert result.occurrences_total == 6
    assert [(item.uid, item.start, item.end) for item in result.busy] == [
        ("occupe", utc(2027, 1, 16, 9), utc(2027, 1, 16, 10)),
        ("provisoire", utc(2027, 1, 17, 9), utc(2027, 1, 17, 10)),
    ]


def test_busy_times_are_utc_and_only_inside_the_window() -> None:
    window = (utc(2027, 3, 20), utc(2027, 3, 30))
    result = import_fixture("recurrences.ics", window=window)
    assert result.busy
    for item in result.busy:
        assert item.start.utcoffset() is not None and item.start.utcoffset().total_seconds() == 0
        assert item.end > window[0] and item.start < window[1]
    assert starts(result, "serie-printemps") == [utc(2027, 3, 22, 8), utc(2027, 3, 29, 7)]
