"""Tracking and measuring: what was sent, by whom, how fast (no Qt; the store gives the facts).

Over a date range, by rep, template or week: calls, cards drafted, queued, mailed and
cancelled; the share of calls followed by a card; the time from call to queued and from queued
to mailed (median and 90th percentile, in hours); and repeat cards (a card to a customer who had
another, not cancelled, in the 30 days before it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone

from cardsender.errors import UserError

GROUPINGS = ("rep", "template", "week")
_ALL_GROUPINGS = (*GROUPINGS, "week-rep")
REPEAT_DAYS = 30


@dataclass
class Figures:
    key: str
    calls: int | None = None
    with_card: int | None = None
    drafted: int = 0
    queued: int = 0
    mailed: int = 0
    cancelled: int = 0
    call_to_queued_median_h: float | None = None
    call_to_queued_p90_h: float | None = None
    queued_to_mailed_median_h: float | None = None
    queued_to_mailed_p90_h: float | None = None
    repeat_cards: int = 0
    _to_queued: list[float] = field(default_factory=list, repr=False)
    _to_mailed: list[float] = field(default_factory=list, repr=False)

    @property
    def share_with_card(self) -> float | None:
        """Share of the calls followed by a card (0 to 1); None where calls don't apply."""
        if not self.calls:
            return None
        return (self.with_card or 0) / self.calls

    def as_dict(self) -> dict:
        data = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        data["share_with_card"] = None if self.share_with_card is None else round(self.share_with_card, 4)
        return data


@dataclass
class Report:
    since: str
    until: str
    by: str
    rows: list[Figures]
    total: Figures

    def as_dict(self) -> dict:
        return {"since": self.since, "until": self.until, "by": self.by,
                "rows": [r.as_dict() for r in self.rows], "total": self.total.as_dict()}


def _percentile(values: list[float], share: float) -> float | None:
    """The value below which ``share`` of the values lie (linear between neighbours)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (position - low), 2)


def _monday(day: str) -> str:
    moment = date.fromisoformat(day[:10])
    return (moment - timedelta(days=moment.weekday())).isoformat()


class _Rows:
    """The report's rows, found from a fact's rep, template and UTC day. Facts come by the
    hundred thousand, so each finds its row with one dictionary look-up on what its grouping
    reads (the rep as written, the template, the day); the names are worked out once per
    distinct value: reps compare without case and are shown as first written, weeks are
    named by their Monday."""

    def __init__(self, by: str, with_calls: bool):
        self.by, self.with_calls = by, with_calls
        self.rows: dict[str, Figures] = {}
        self._names: dict[str, str] = {}
        self._found: dict = {}

    def at(self, rep: str, template: str, day: str | None) -> Figures:
        by = self.by
        if by == "rep":
            look = rep
        elif by == "template":
            look = template
        elif by == "week":
            look = day
        else:
            look = (day, rep)
        figures = self._found.get(look)
        if figures is None:
            figures = self._found[look] = self._row(self._key(rep, template, day))
        return figures

    def _key(self, rep: str, template: str, day: str | None) -> str:
        if self.by == "template":
            return template
        rep_key = self._names.setdefault((rep or "").casefold(), rep or "")
        if self.by == "rep":
            return rep_key
        return _monday(day) if self.by == "week" else f"{_monday(day)}|{rep_key}"

    def _row(self, name: str) -> Figures:
        if name not in self.rows:
            counted = 0 if self.with_calls else None
            self.rows[name] = Figures(name, calls=counted, with_card=counted)
        return self.rows[name]


def build_report(store, *, since: str, until: str, by: str = "rep") -> Report:
    """Figures for [since, until), UTC stamps; one row per rep, template or week (Monday)."""
    if by not in _ALL_GROUPINGS:
        raise UserError(f"--by {by!r}: choose one of {', '.join(GROUPINGS)}")
    if since >= until:
        raise UserError(f"the range is empty: {since} is not before {until}")
    with_calls = by != "template"
    rows = _Rows(by, with_calls)
    if with_calls:
        for fact in store.call_counts(since, until):
            figures = rows.at(fact["rep"], "", fact["day"])
            figures.calls += fact["calls"]
            figures.with_card += fact["with_card"]
    names = store.template_names()
    for fact in store.card_counts(since, until):
        figures = rows.at(fact["rep"], names[(fact["template_slug"], fact["template_version"])], fact["day"])
        figures.drafted += fact["drafted"]
        figures.queued += fact["queued"]
        figures.mailed += fact["mailed"]
        figures.cancelled += fact["cancelled"]
        figures.repeat_cards += fact["repeats"]
    for rep, slug, version, day, to_queued, to_mailed in store.turnaround_hours(
            since, until, rep=by in ("rep", "week-rep"), template=by == "template", day=by in ("week", "week-rep")):
        figures = rows.at(rep, slug and names[(slug, version)], day)
        if to_queued is not None and to_queued >= 0:
            figures._to_queued.append(to_queued)
        if to_mailed is not None:
            figures._to_mailed.append(to_mailed)
    total = Figures("total", calls=0 if with_calls else None, with_card=0 if with_calls else None)
    for figures in rows.rows.values():
        _finish(figures)
        for name in ("drafted", "queued", "mailed", "cancelled", "repeat_cards"):
            setattr(total, name, getattr(total, name) + getattr(figures, name))
        if with_calls:
            total.calls += figures.calls or 0
            total.with_card += figures.with_card or 0
        total._to_queued += figures._to_queued
        total._to_mailed += figures._to_mailed
    _finish(total)
    ordered = sorted(rows.rows.values(),
                     key=lambda f: f.key if by in ("week", "week-rep") else (-f.drafted, -(f.calls or 0), f.key))
    return Report(since, until, by, ordered, total)


def _finish(figures: Figures) -> None:
    figures.call_to_queued_median_h = _percentile(figures._to_queued, 0.5)
    figures.call_to_queued_p90_h = _percentile(figures._to_queued, 0.9)
    figures.queued_to_mailed_median_h = _percentile(figures._to_mailed, 0.5)
    figures.queued_to_mailed_p90_h = _percentile(figures._to_mailed, 0.9)


CSV_COLUMNS = ("key", "calls", "with_card", "share_with_card", "drafted", "queued", "mailed", "cancelled",
               "call_to_queued_median_h", "call_to_queued_p90_h", "queued_to_mailed_median_h",
               "queued_to_mailed_p90_h", "repeat_cards")


def report_rows(report: Report) -> list[list]:
    return [[r.as_dict()[c] for c in CSV_COLUMNS] for r in [*report.rows, report.total]]


def cards_per_week_by_rep(store, *, since: str, until: str) -> dict[str, dict[str, int]]:
    """{rep: {week (Monday): cards drafted}} for the chart of cards per week by rep."""
    rows = _Rows("week-rep", with_calls=False)
    for fact in store.card_counts(since, until):
        rows.at(fact["rep"], "", fact["day"]).drafted += fact["drafted"]
    table: dict[str, dict[str, int]] = {}
    for key, figures in sorted(rows.rows.items()):
        week, _, rep = key.partition("|")
        if figures.drafted:
            table.setdefault(rep or "(no rep)", {})[week] = figures.drafted
    return table


def parse_day(text: str) -> str:
    """A UTC stamp from a date (2026-11-01) or an ISO 8601 time."""
    try:
        day = date.fromisoformat(text.strip())
        return f"{day.isoformat()}T00:00:00Z"
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{text!r} is not a date (2026-11-01) or a time (2026-11-01T09:00)") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
