"""The calls service on a real SQLite workspace: start, save, close, bill, log."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from calls_setup import NOON, Setup
from sqlalchemy import select

from permanence.core.calls import BillingRules
from permanence.core.db.models import Call
from permanence.core.errors import NotFoundError, ValidationError
from permanence.core.workspace import Workspace

MISSING = "Choisissez l'issue de l'appel avant de le clore."


def call_at(
    s: Setup,
    minutes: float,
    *,
    number: str = "06 12 34 56 78",
    practice: int | None = None,
    outcome: str = "rdv",
    length: float = 2,
) -> tuple[int, bool | None, str]:
    """A call started `minutes` after NOON, lasting `length` minutes, closed with `outcome`."""
    start = NOON + timedelta(minutes=minutes)
    call = s.ws.calls.start(
        to_number="04 78 60 12 34",
        from_number=number,
        practice_id=practice,
        started_at=start,
    )
    closed = s.ws.calls.close(call.id, outcome, ended_at=start + timedelta(minutes=length))
    return closed.id, closed.billable, closed.billing_reason


@pytest.mark.parametrize("dialed", ["04 78 60 12 34", "+33 4 78 60 12 34", "0033478601234"])
def test_the_practice_is_chosen_by_the_dialed_number(setup: Setup, dialed: str) -> None:
    call = setup.ws.calls.start(to_number=dialed, from_number="06.12.34.56.78")
    assert call.practice_id == setup.martin and call.practice_name == "Cabinet Martin"
    assert call.status == "draft" and call.is_draft
    assert call.draft_owner == setup.ws.instance_id
    assert call.from_e164 == "+33612345678" and call.from_display == "06 12 34 56 78"
    assert call.started_at.tzinfo is not None and call.billable is None


def test_an_unknown_dialed_number_leaves_the_choice_to_her(ws: Workspace) -> None:
    call = ws.calls.start(to_number="01 99 99 99 99")
    assert call.practice_id is None and call.practice_name == ""


@pytest.mark.parametrize(
    ("typed", "key"),
    [("+44 20 7946 0958", "+442079460958"), ("12 34", "1234"), ("masqué", "")],
)
def test_foreign_and_odd_numbers_are_kept_as_typed(ws: Workspace, typed: str, key: str) -> None:
    call = ws.calls.start(from_number=typed)
    assert call.from_number == typed and call.from_e164 == key
    assert ws.calls.update(call.id, from_number=typed).from_number == typed


def test_every_change_is_saved_at_once(setup: Setup) -> None:
    ws = setup.ws
    call = ws.calls.start(to_number="0478601234")
    ws.calls.update(call.id, practitioner_id=setup.dr_roux, reason="Fièvre", tension=True)
    ws.calls.update(call.id, triage_level="urgent", triage_rule="fievre_adulte", notes="pressé")
    with ws.sessions() as session:  # straight from the database
        row = session.get(Call, call.id)
        assert row is not None
        assert (row.reason, row.tension, row.triage_level, row.notes) == (
            "Fièvre",
            True,
            "urgent",
            "pressé",
        )
    again = ws.calls.get(call.id)
    assert again.practitioner_name == "Dr Rémi Roux" and again.level == "urgent"


def test_practitioner_and_practice_stay_consistent(setup: Setup) -> None:
    ws = setup.ws
    call = ws.calls.start()
    assert ws.calls.update(call.id, practitioner_id=setup.dr_dent).practice_id == setup.dentist
    moved = ws.calls.update(call.id, practice_id=setup.martin)
    assert moved.practitioner_id is None  # "le cabinet" again
    with pytest.raises(ValidationError, match="n'exerce pas dans le cabinet"):
        ws.calls.update(call.id, practitioner_id=setup.dr_dent)
    with pytest.raises(ValidationError, match="Cabinet introuvable"):
        ws.calls.update(call.id, practice_id=999)
    with pytest.raises(ValidationError, match="Niveau d'urgence inconnu"):
        ws.calls.update(call.id, triage_level="grave")
    with pytest.raises(TypeError):
        ws.calls.update(call.id, outcome="rdv")


@pytest.mark.parametrize("outcome", [None, "", "rappel", "RDV"])
def test_closing_without_a_valid_outcome_is_refused_and_the_draft_kept(
    setup: Setup, outcome: str | None
) -> None:
    ws = setup.ws
    call = ws.calls.start(to_number="0478601234", from_number="0612345678")
    ws.calls.update(call.id, reason="Renouvellement d'ordonnance")
    with pytest.raises(ValidationError) as error:
        ws.calls.close(call.id, outcome)
    assert str(error.value) == MISSING
    kept = ws.calls.get(call.id)
    assert kept.is_draft and kept.reason == "Renouvellement d'ordonnance"
    assert kept.draft_owner == ws.instance_id and kept.ended_at is None
    assert ws.calls.drafts() == [kept]


def test_close_sets_the_end_the_class_and_frees_the_draft(setup: Setup) -> None:
    ws = setup.ws
    call = ws.calls.start(to_number="0478601234", started_at=NOON)
    closed = ws.calls.close(call.id, "rdv", ended_at=NOON + timedelta(minutes=2, seconds=5))
    assert (closed.status, closed.outcome, closed.outcome_label) == ("closed", "rdv", "Rendez-vous")
    assert closed.duration == timedelta(minutes=2, seconds=5)
    assert (closed.billable, closed.billing_reason, closed.draft_owner) == (True, "facturé", "")
    with pytest.raises(ValidationError, match="ne peut pas précéder"):
        ws.calls.close(call.id, "rdv", ended_at=NOON - timedelta(minutes=1))
    corrected = ws.calls.close(call.id, "demarchage")  # wrong button: she corrects it
    assert corrected.billable is False and corrected.ended_at == closed.ended_at


def test_an_override_needs_its_reason(setup: Setup) -> None:
    ws = setup.ws
    call = ws.calls.start(to_number="0478601234")
    ws.calls.update(call.id, triage_level="routine", triage_override_level="urgent")
    with pytest.raises(ValidationError, match="pourquoi vous changez le niveau"):
        ws.calls.close(call.id, "message")
    ws.calls.update(call.id, triage_override_reason="Patiente très inquiète, 92 ans")
    assert ws.calls.close(call.id, "message").level == "urgent"


def test_sales_calls_wrong_numbers_and_hangups_are_not_billed(setup: Setup) -> None:
    assert call_at(setup, 0, outcome="demarchage")[1:] == (False, "démarchage : non facturé")
    assert call_at(setup, 60, number="0611111111", outcome="faux_numero")[1] is False
    assert call_at(setup, 120, number="0622222222", outcome="raccroche")[1] is False


def test_a_repeat_from_the_same_number_within_10_minutes_is_not_billed(setup: Setup) -> None:
    first = call_at(setup, 0)  # 12:00 → 12:02
    assert first[1:] == (True, "facturé")
    repeat = call_at(setup, 11, number="+33 6 12 34 56 78")  # 9 min after the end
    assert repeat[1:] == (False, "rappel du même numéro en moins de 10 min : non facturé")
    later = call_at(setup, 24, number="0033612345678")  # 11 min after the repeat's end
    assert later[1] is True
    elsewhere = call_at(setup, 27, practice=setup.dentist)  # same number, other practice
    assert elsewhere[1] is True
    other = call_at(setup, 28, number="0699999999")
    assert other[1] is True


def test_hidden_numbers_are_never_repeats(setup: Setup) -> None:
    assert call_at(setup, 0, number="")[1] is True
    assert call_at(setup, 3, number="")[1] is True


def test_billing_rules_are_editable_per_practice(setup: Setup) -> None:
    ws = setup.ws
    assert ws.calls.billing_rules(setup.martin) == BillingRules()
    ws.calls.set_billing_rules(
        setup.martin, BillingRules(bill_sales_calls=True, repeat_window_minutes=0)
    )
    assert ws.calls.billing_rules(setup.martin).bill_sales_calls
    assert call_at(setup, 0, outcome="demarchage")[1] is True
    assert call_at(setup, 3)[1] is True  # repeat detection turned off here…
    assert call_at(setup, 0, practice=setup.dentist, outcome="demarchage")[1] is False  # …not there
    with pytest.raises(NotFoundError):
        ws.calls.set_billing_rules(999, BillingRules())


def test_damaged_stored_rules_never_block_a_call(setup: Setup) -> None:
    from permanence.core.db.models import Practice

    with setup.ws.sessions.begin() as session:
        practice = session.get(Practice, setup.martin)
        assert practice is not None
        practice.billing_rules = "{oups"
    assert call_at(setup, 0, outcome="demarchage")[1] is False  # defaults apply
    with pytest.raises(ValidationError, match="illisibles"):
        setup.ws.calls.billing_rules(setup.martin)


def test_a_corrected_number_reclassifies_a_closed_call(setup: Setup) -> None:
    call_at(setup, 0)
    second, billable, _ = call_at(setup, 5, number="0700000000")
    assert billable is True
    fixed = setup.ws.calls.update(second, from_number="06 12 34 56 78")
    assert fixed.billable is False and fixed.status == "closed"


def test_the_log_lists_closed_calls_newest_first_with_filters(setup: Setup) -> None:
    ws = setup.ws
    call_at(setup, 0)
    call_at(setup, 5, outcome="demarchage")
    call_at(setup, 30, number="0611111111", practice=setup.dentist, outcome="message")
    ws.calls.start(to_number="0478601234")  # a draft: not in the log
    late = NOON.replace(hour=22, minute=30)  # 23 h 30 in Paris: still 23 November
    late_call = ws.calls.start(practice_id=setup.martin, started_at=late)
    ws.calls.close(late_call.id, "information", ended_at=late + timedelta(minutes=1))

    log = ws.calls.log()
    assert [c.started_at for c in log] == sorted((c.started_at for c in log), reverse=True)
    assert len(log) == 4 and all(c.status == "closed" for c in log)
    assert {c.outcome for c in ws.calls.log(practice_id=setup.martin)} == {
        "rdv",
        "demarchage",
        "information",
    }
    assert len(ws.calls.log(day=date(2026, 11, 23))) == 4
    assert ws.calls.log(day=date(2026, 11, 24)) == []
    assert [c.outcome for c in ws.calls.log(billable=False)] == ["demarchage"]
    assert len(ws.calls.log(billable=True, limit=2)) == 2
    assert [c.outcome for c in ws.calls.log(outcome="message")] == ["message"]
    assert len(ws.calls.log(since=NOON + timedelta(minutes=1), until=late)) == 2
    assert ws.calls.log(limit=1, offset=1)[0].outcome == "message"
    assert log[0].caller_name == "" and log[1].practice_name == "Dentiste Bellecour"


def test_naive_times_are_refused(ws: Workspace) -> None:
    with pytest.raises(ValidationError, match="fuseau"):
        ws.calls.start(started_at=datetime(2026, 11, 23, 10))


def test_a_draft_picked_up_by_mistake_can_be_discarded(ws: Workspace) -> None:
    call = ws.calls.start()
    ws.calls.discard(call.id)
    with pytest.raises(NotFoundError):
        ws.calls.get(call.id)
    kept = ws.calls.start(started_at=datetime.now(UTC) - timedelta(minutes=1))
    ws.calls.close(kept.id, "information")
    with pytest.raises(ValidationError, match="cahier d'appels"):
        ws.calls.discard(kept.id)
    with ws.sessions() as session:
        assert session.scalars(select(Call.id)).all() == [kept.id]


def test_after_a_hang_up_the_real_call_is_billed(setup: Setup) -> None:
    """Like Benoît Carrel in the demo: hangs up during the greeting, calls back 7 min later."""
    assert call_at(setup, 0, outcome="raccroche", length=0.1)[1] is False
    assert call_at(setup, 7)[1:] == (True, "facturé")


def test_a_line_cut_three_times_is_billed_once(setup: Setup) -> None:
    """Like Giulia Rossi in the demo (bad network): each call starts right after the last."""
    classes = [call_at(setup, start, length=3)[1] for start in (0, 5, 10, 15)]
    assert classes == [True, False, False, False]
    assert call_at(setup, 30)[1] is True  # 12 min after the last one: a new request
