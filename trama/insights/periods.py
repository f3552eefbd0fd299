"""The periods indicators are computed over: a month, a quarter or a year."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MONTHS = [
    gettext_lazy("gennaio"),
    gettext_lazy("febbraio"),
    gettext_lazy("marzo"),
    gettext_lazy("aprile"),
    gettext_lazy("maggio"),
    gettext_lazy("giugno"),
    gettext_lazy("luglio"),
    gettext_lazy("agosto"),
    gettext_lazy("settembre"),
    gettext_lazy("ottobre"),
    gettext_lazy("novembre"),
    gettext_lazy("dicembre"),
]
FIRST_YEAR = 2000
PATTERNS = {
    "year": re.compile(r"([0-9]{4})"),
    "quarter": re.compile(r"([0-9]{4})-T([1-4])"),
    "month": re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])"),
}


@dataclass(frozen=True)
class Period:
    """A calendar period from `start` (included) to `end` (excluded)."""

    kind: str  # "month", "quarter" or "year"
    year: int
    number: int = 1  # the month (1-12) or the quarter (1-4); 1 for a year

    @property
    def start(self):
        month = {"year": 1, "quarter": 3 * self.number - 2, "month": self.number}[self.kind]
        return date(self.year, month, 1)

    @property
    def end(self):
        months = {"year": 12, "quarter": 3, "month": 1}[self.kind]
        index = self.start.month - 1 + months
        return date(self.year + index // 12, index % 12 + 1, 1)

    @property
    def since(self):
        """`start` as an aware datetime, for filtering timestamps."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self):
        return timezone.make_aware(datetime.combine(self.end, time.min))

    @property
    def param(self):
        return {"year": f"{self.year}", "quarter": f"{self.year}-T{self.number}", "month": f"{self.year}-{self.number:02d}"}[self.kind]

    @property
    def label(self):
        if self.kind == "year":
            return _("anno %(year)s") % {"year": self.year}
        if self.kind == "quarter":
            return _("%(n)s° trimestre %(year)s") % {"n": self.number, "year": self.year}
        return f"{MONTHS[self.number - 1]} {self.year}"

    def next(self):
        if self.kind == "year":
            return Period("year", self.year + 1)
        last = 4 if self.kind == "quarter" else 12
        return Period(self.kind, self.year + 1, 1) if self.number == last else Period(self.kind, self.year, self.number + 1)

    def previous(self):
        if self.kind == "year":
            return Period("year", self.year - 1)
        last = 4 if self.kind == "quarter" else 12
        return Period(self.kind, self.year - 1, last) if self.number == 1 else Period(self.kind, self.year, self.number - 1)


def current(kind="quarter", today=None):
    today = today or timezone.localdate()
    number = {"year": 1, "quarter": (today.month - 1) // 3 + 1, "month": today.month}[kind]
    return Period(kind, today.year, number)


def default(today=None):
    """The period the dashboard opens on and the report form proposes: the current quarter, so that what was
    recorded today is in both and the first report a coordinator downloads shows what the dashboard showed."""
    return current("quarter", today)


def parse(text, today=None):
    """The period written as "2026", "2026-T2" or "2026-05"; ValueError for anything else."""
    text = (text or "").strip()
    today = today or timezone.localdate()
    for kind, pattern in PATTERNS.items():
        found = pattern.fullmatch(text) if len(text) <= 7 else None
        if found:
            year = int(found.group(1))
            if not FIRST_YEAR <= year <= today.year + 1:
                raise ValueError(_("L'anno deve essere tra il %(first)s e il %(last)s.") % {"first": FIRST_YEAR, "last": today.year + 1})
            return Period(kind, year, int(found.group(2)) if kind != "year" else 1)
    raise ValueError(_("Periodo non valido: scrivilo come 2026 (anno), 2026-T2 (trimestre) o 2026-05 (mese)."))


def choices(today=None):
    """Recent periods to choose from: the last 12 months, 8 quarters and 4 years, newest first."""
    groups = []
    for kind, label, count in (("quarter", _("Trimestri"), 8), ("month", _("Mesi"), 12), ("year", _("Anni"), 4)):
        period, items = current(kind, today), []
        for _i in range(count):
            items.append(period)
            period = period.previous()
        groups.append((label, items))
    return groups


def months_of(period):
    """The months of `period`, in order."""
    out, month = [], Period("month", period.start.year, period.start.month)
    while month.start < period.end:
        out.append(month)
        month = month.next()
    return out


def trend_months(period, today=None, count=12):
    """The months a trend of `period` shows: the months of a year that have begun, or else the
    `count` months that end with the period's last month (or with this month, if that is later)."""
    today = today or timezone.localdate()
    if period.kind == "year":
        months = [m for m in months_of(period) if m.start <= today]
        return months or months_of(period)[:1]
    last = months_of(period)[-1]
    while last.start > today and last.previous().end > period.start:
        last = last.previous()
    months = [last]
    while len(months) < count:
        months.insert(0, months[0].previous())
    return months
