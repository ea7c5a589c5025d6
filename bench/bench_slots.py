"""Slot proposals: a seeded month of booking requests played three ways, then the timing.

The month is booked by callers who each have a preferred time of day and pick, among what
they are offered, the start nearest to it. Three ways of offering are compared: `first_fit`
(the 3 earliest starts), `compact` (ours) and the web-agenda baseline (every free start on
a grid of the appointment's own duration from the period start). Targets (issue 6): compact
leaves ≤ 25 % of the better baseline's stranded minutes, books at least as many appointments
as first_fit, and its mean delay is ≤ 1.1 × first_fit's when callers take the first proposal.
"""

from __future__ import annotations

import random
import statistics
import time
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as clock
from functools import partial
from zoneinfo import ZoneInfo

from permanence.core.agenda import (
    POLICIES,
    Agenda,
    AppointmentType,
    Booking,
    DayException,
    Slot,
    WeeklyPeriod,
    WeeklyTemplate,
    availability,
    free_intervals,
    parse_preferences,
    propose_for_request,
    propose_slots,
    stranded_minutes,
)
from permanence.core.agenda.spans import Interval

SEED = 20261123
ZONE = ZoneInfo("Europe/Paris")
FIRST_DAY = date(2027, 3, 1)  # a Monday; the month crosses the DST change of 28 March
DAYS = 28
DURATIONS = (15, 20, 30, 45)  # minutes, one motif each
DURATION_WEIGHTS = (3, 3, 3, 2)
MOTIFS = tuple(
    AppointmentType(name, timedelta(minutes=minutes))
    for name, minutes in zip(
        ("Renouvellement", "Consultation", "Consultation longue", "Bilan"), DURATIONS, strict=True
    )
)
DEMAND = 1.15  # requested minutes / bookable minutes: the month ends up full
BUDGET_MS = 20.0
TIMING_RUNS = 200
WAYS = ("first_fit", "compact", "web")
HORIZON = (
    datetime.combine(FIRST_DAY, clock(0), tzinfo=ZONE),
    datetime.combine(FIRST_DAY + timedelta(days=DAYS), clock(0), tzinfo=ZONE),
)

Chooser = Callable[[Sequence[Slot], "Request"], Slot]


@dataclass(frozen=True)
class Request:
    duration: timedelta
    earliest: datetime
    preferred: int  # minutes after local midnight


@dataclass
class Outcome:
    stranded: int = 0
    booked: int = 0
    refused: int = 0
    delays: list[float] = field(default_factory=list)
    busy: list[Interval] = field(default_factory=list)

    @property
    def mean_delay(self) -> float:
        return statistics.fmean(self.delays) if self.delays else 0.0


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, clock(hour, minute), tzinfo=ZONE)


def build_agenda(rng: random.Random) -> Agenda:
    """Mon–Fri 8:30–12:00 and 14:00–19:00, Saturday mornings every other week, some busy."""
    template = WeeklyTemplate(
        (
            WeeklyPeriod(clock(8, 30), clock(12), frozenset(range(5))),
            WeeklyPeriod(clock(14), clock(19), frozenset(range(5))),
        )
    )
    saturdays = [FIRST_DAY + timedelta(days=5 + 7 * week) for week in (0, 2)]
    exceptions = tuple(DayException(day, ((clock(9), clock(12)),)) for day in saturdays)
    busy: list[Interval] = []
    for week in range(DAYS // 7):  # a staff meeting every Thursday afternoon
        thursday = FIRST_DAY + timedelta(days=3 + 7 * week)
        busy.append((_at(thursday, 14), _at(thursday, 15, 30)))
    for _ in range(10):  # imported personal events at arbitrary 5-minute times
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        start = _at(day, rng.choice((9, 10, 11, 15, 16, 17)), 5 * rng.randrange(12))
        busy.append((start, start + timedelta(minutes=5 * rng.randrange(5, 19))))
    return Agenda(template, ZONE, exceptions=exceptions, appointment_types=MOTIFS, busy=tuple(busy))


def build_requests(rng: random.Random, bookable_minutes: int) -> list[Request]:
    mean = sum(d * w for d, w in zip(DURATIONS, DURATION_WEIGHTS, strict=True)) / sum(
        DURATION_WEIGHTS
    )
    requests = []
    for _ in range(round(DEMAND * bookable_minutes / mean)):
        minutes = rng.choices(DURATIONS, DURATION_WEIGHTS)[0]
        day = FIRST_DAY + timedelta(days=int(rng.triangular(0, DAYS - 1, 0)))
        preferred = rng.randrange(8 * 60 + 30, 19 * 60, 5)
        requests.append(Request(timedelta(minutes=minutes), _at(day, 0), preferred))
    return requests


def _minute_of_day(moment: datetime) -> int:
    local = moment.astimezone(ZONE)
    return local.hour * 60 + local.minute


def nearest(slots: Sequence[Slot], request: Request) -> Slot:
    """The caller takes the offer nearest their preferred time of day (then the earliest)."""
    return min(slots, key=lambda s: (abs(_minute_of_day(s.start) - request.preferred), s.start))


def first(slots: Sequence[Slot], request: Request) -> Slot:
    return slots[0]


def web_slots(
    open_periods: Sequence[Interval], busy: Sequence[Interval], request: Request, end: datetime
) -> list[Slot]:
    """Every free start on a grid of the duration from each period start, in time order."""
    free = [(s.timestamp(), e.timestamp()) for s, e in free_intervals(open_periods, busy)]
    starts = [s for s, _ in free]
    step = request.duration
    slots = []
    for period_start, period_end in open_periods:
        start = period_start
        while start + step <= period_end:
            stamp = start.timestamp()
            index = bisect_right(starts, stamp) - 1
            fits = index >= 0 and stamp + step.total_seconds() <= free[index][1]
            if fits and start >= request.earliest and start + step <= end:
                slots.append(Slot(start, start + step))
            start += step
    return slots


@dataclass(frozen=True)
class Month:
    agenda: Agenda
    open_periods: tuple[Interval, ...]
    busy: tuple[Interval, ...]
    requests: tuple[Request, ...]
    bookable_minutes: int

    @property
    def min_duration(self) -> timedelta:
        return self.agenda.min_duration or timedelta(minutes=min(DURATIONS))


def build_month(seed: int) -> Month:
    rng = random.Random(seed)
    agenda = build_agenda(rng)
    spans = availability(agenda, *HORIZON)
    bookable = sum(
        (e - s) // timedelta(minutes=1) for s, e in free_intervals(spans.open_periods, spans.busy)
    )
    requests = build_requests(rng, bookable)
    return Month(agenda, spans.open_periods, spans.busy, tuple(requests), bookable)


def offer(way: str, month: Month, busy: Sequence[Interval], request: Request) -> list[Slot]:
    """What the caller is offered: our two policies, or every start of a web agenda."""
    if way == "web":
        return web_slots(month.open_periods, busy, request, HORIZON[1])
    return propose_slots(
        month.open_periods,
        busy,
        request.duration,
        earliest=request.earliest,
        latest=HORIZON[1],
        min_duration=month.min_duration,
        policy="compact" if way == "compact" else "first_fit",
        durations=month.agenda.bookable_lengths,
    )


def play(way: str, choose: Chooser, month: Month) -> Outcome:
    """Book the month's requests in order, offering slots the `way` given."""
    outcome = Outcome(busy=list(month.busy))
    for request in month.requests:
        slots = offer(way, month, outcome.busy, request)
        if not slots:
            outcome.refused += 1
            continue
        slot = choose(slots, request)
        outcome.busy.append((slot.start, slot.end))
        outcome.booked += 1
        outcome.delays.append((slot.start - request.earliest) / timedelta(days=1))
    outcome.stranded = stranded_minutes(month.open_periods, outcome.busy, month.min_duration)
    return outcome


def play_all(month: Month, choose: Chooser) -> dict[str, Outcome]:
    return {way: play(way, choose, month) for way in WAYS}


def _report(title: str, outcomes: dict[str, Outcome]) -> None:
    print(f"\n{title}")
    print(
        f"{'politique':<12}{'min perdues':>12}{'RDV pris':>10}{'sans créneau':>14}"
        f"{'délai moyen (j)':>17}"
    )
    for way, outcome in outcomes.items():
        print(
            f"{way:<12}{outcome.stranded:>12}{outcome.booked:>10}{outcome.refused:>14}"
            f"{outcome.mean_delay:>17.2f}"
        )


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def checks(chosen: dict[str, Outcome], firsts: dict[str, Outcome]) -> list[tuple[str, bool]]:
    """The three targets of the issue, each with the figure it is judged on."""
    best = min(chosen["first_fit"].stranded, chosen["web"].stranded)
    stranded_ratio = chosen["compact"].stranded / best if best else 0.0
    booked_ratio = chosen["compact"].booked / chosen["first_fit"].booked
    delay_ratio = firsts["compact"].mean_delay / firsts["first_fit"].mean_delay
    return [
        (
            f"minutes perdues compact / meilleure référence = {stranded_ratio:.0%} (≤ 25 %)",
            stranded_ratio <= 0.25,
        ),
        (f"RDV pris compact / first_fit = {booked_ratio:.3f} (≥ 1)", booked_ratio >= 1.0),
        (
            f"délai moyen compact / first_fit (1re proposition) = {delay_ratio:.3f} (≤ 1,1)",
            delay_ratio <= 1.1,
        ),
    ]


def simulate() -> bool:
    month = build_month(SEED)
    print(
        f"{len(month.requests)} demandes, {month.bookable_minutes} min réservables sur "
        f"{DAYS} jours (graine {SEED})"
    )
    chosen = play_all(month, nearest)
    _report("L'appelant choisit la proposition la plus proche de son heure préférée :", chosen)
    firsts = play_all(month, first)
    _report("L'appelant prend la première proposition :", firsts)
    print()
    results = checks(chosen, firsts)
    for text, ok in results:
        print(f"{_verdict(ok)}  {text}")
    return all(ok for _, ok in results)


def _timed(label: str, call: Callable[[], object]) -> bool:
    """Median and p95 of `TIMING_RUNS` calls, printed next to the budget."""
    timings = []
    for _ in range(TIMING_RUNS):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(
        f"{_verdict(median <= BUDGET_MS)}  {label} : médiane {median:.2f} ms, "
        f"p95 {p95:.2f} ms (budget ≤ {BUDGET_MS:.0f} ms)"
    )
    return median <= BUDGET_MS


def time_proposals() -> bool:
    """One call over 4 weeks of a full agenda (the end of a simulated month)."""
    month = build_month(SEED)
    busy = play("compact", nearest, month).busy
    earliest, latest = HORIZON
    print(f"\nAgenda plein : {len(busy)} intervalles occupés sur {DAYS} jours")
    ok = True
    for policy in POLICIES:
        call = partial(
            propose_slots,
            month.open_periods,
            busy,
            timedelta(minutes=15),
            earliest=earliest,
            latest=latest,
            min_duration=month.min_duration,
            policy=policy,
            durations=month.agenda.bookable_lengths,
        )
        ok &= _timed(f"propose_slots ({policy}) sur 4 semaines", call)
    bookings = tuple(Booking(s, e) for s, e in busy[len(month.busy) :])
    full = replace(month.agenda, bookings=bookings)
    wishes = parse_preferences("plutôt l'après-midi, pas le mercredi")
    ok &= _timed(
        "propose_for_request (4 semaines, préférences)",
        lambda: propose_for_request(
            full, MOTIFS[1], now=earliest + timedelta(hours=8), preferences=wishes
        ),
    )
    return ok


def main() -> None:
    simulated = simulate()
    timed = time_proposals()
    print(f"\nBilan : {_verdict(simulated and timed)}")
