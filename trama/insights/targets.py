"""Baselines and targets of the indicators, and the progress between them.

A target says where an indicator should get to in a year, in one neighbourhood or in the whole city. Its
baseline is the value entered with its source (a survey, last year's register...), or else the indicator's
value in the first year with data among the BASELINE_YEARS years up to the target's (the first period the
platform can measure; a zero counts as no data there, since the indicators of a source that holds records
read 0 for the years before them). Progress reads "da X a Y, obiettivo Z: 60 %": Y is the value of the target's year so
far; the share is how much of the way from X to Z has been covered (below 0 when the value moved away).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from trama.privacy.suppression import threshold_for

from . import figures, indicators
from .periods import Period

# How far back the baseline is looked for when none was entered.
BASELINE_YEARS = 5

# The numbers each unit takes in the form (a share as a percentage), and whether they are whole.
BOUNDS = {
    "count": (Decimal(0), Decimal(10_000_000), True),
    "people": (Decimal(0), Decimal(10_000_000), True),
    "hours": (Decimal(0), Decimal(100_000_000), False),
    "eur": (Decimal(0), Decimal(1_000_000_000), False),
    "share": (Decimal(0), Decimal(100), False),
    "days": (Decimal(0), Decimal(3650), False),
    "ratio": (Decimal(0), Decimal(10_000), False),
}


def bounds(item):
    """(lowest, highest, whole numbers only) of what a form takes for `item`."""
    return BOUNDS[item.unit]


def stored(item, entered):
    """The number kept for a number entered in the form: a share entered as a percentage is kept as a fraction."""
    if entered is None:
        return None
    return entered / 100 if item.unit == "share" else entered


def entered(item, number):
    """The number the form shows for a kept one."""
    if number is None:
        return None
    return number * 100 if item.unit == "share" else number


def check(item, number, label):
    """An Italian message if `number` (as entered) is out of range for `item`'s unit, else ''."""
    low, high, whole = bounds(item)
    unit = "%" if item.unit == "share" else str(item.unit_label)
    if number < low or number > high:
        return _("%(what)s deve essere tra %(low)s e %(high)s (%(unit)s).") % {
            "what": label,
            "low": _plain(low),
            "high": _plain(high),
            "unit": unit,
        }
    if whole and number != number.to_integral_value():
        return _("%(what)s deve essere un numero intero (%(unit)s).") % {"what": label, "unit": unit}
    return ""


def _plain(number):
    return f"{number:,.0f}".replace(",", ".")


@dataclass(frozen=True)
class Progress:
    target: object  # the Target
    item: object  # the Indicator
    area_label: str
    baseline: object  # number or None
    baseline_source: str  # where the baseline comes from, in words
    current: object  # number or None
    share: int | None  # percent of the way covered, None when it cannot be said
    hidden: frozenset = frozenset()  # "baseline", "current": small counts outside the reader's scope

    @property
    def bar(self):
        """The share for a bar: 0-100."""
        return max(0, min(100, self.share or 0))

    @property
    def state(self):
        """In words, so that the meaning never rests on a colour."""
        if self.share is None:
            return _("non misurabile")
        if self.share >= 100:
            return _("obiettivo raggiunto")
        if self.share < 0:
            return _("si allontana dall'obiettivo")
        return _("in cammino")

    @property
    def baseline_text(self):
        return _("riservato") if "baseline" in self.hidden else self.item.display(self.baseline)

    @property
    def current_text(self):
        return _("riservato") if "current" in self.hidden else self.item.display(self.current)

    @property
    def target_text(self):
        return self.item.display(self.target.target)

    @property
    def sentence(self):
        words = {"start": self.baseline_text, "now": self.current_text, "goal": self.target_text}
        if self.share is None:
            return _("da %(start)s a %(now)s, obiettivo %(goal)s") % words
        return _("da %(start)s a %(now)s, obiettivo %(goal)s: %(share)s %%") % {**words, "share": self.share}


def share_of_the_way(baseline, current, target):
    """Percent of the way from `baseline` to `target` covered by `current`; None when it cannot be said."""
    if baseline is None or current is None or target is None:
        return None
    baseline, current, target = Decimal(str(baseline)), Decimal(str(current)), Decimal(str(target))
    if target == baseline:
        return None
    return int(((current - baseline) / (target - baseline) * 100).to_integral_value())


def small_count(item, number, city=None):
    """Whether `number` of `item` is a count below the suppression threshold of `city` (hidden outside the reader's
    scope)."""
    return item.unit in ("count", "people") and 0 < number < threshold_for(city)


def progress(targets, city, areas, small=None):
    """[Progress] of each of `targets` whose area is among `areas` (dashboard Areas).

    `small(item, number)`, when given, says whether a number must be hidden (suppression outside the
    reader's scope): such numbers are treated as unknown.
    """
    by_key = {area.key: area for area in areas}
    targets = [t for t in targets if t.area_key in by_key and t.indicator in indicators.REGISTRY]
    if not targets:
        return []
    items = [indicators.REGISTRY[key] for key in dict.fromkeys(t.indicator for t in targets)]
    wanted = [by_key[key] for key in dict.fromkeys(t.area_key for t in targets)]
    years = {}

    def year_values(year):
        if year not in years:
            years[year] = figures.evaluate(items, city, Period("year", year), wanted)
        return years[year]

    out = []
    for target in targets:
        item, area = indicators.REGISTRY[target.indicator], by_key[target.area_key]
        current = year_values(target.year)[item.key][area.key].value
        if target.baseline is not None:
            baseline, source = target.baseline, target.baseline_source or _("valore inserito")
        else:
            baseline, source = None, _("nessun dato negli anni precedenti")
            for year in range(target.year - BASELINE_YEARS + 1, target.year + 1):
                value = year_values(year)[item.key][area.key]
                if value.has_data and value.value != 0:
                    baseline, source = value.value, _("primo anno con dati: %(year)s") % {"year": year}
                    break
        hidden = set()
        if small is not None:
            if baseline is not None and small(item, baseline):
                baseline = None
                hidden.add("baseline")
            if current is not None and small(item, current):
                current = None
                hidden.add("current")
        share = share_of_the_way(baseline, current, target.target)
        out.append(Progress(target, item, str(area.label), baseline, source, current, share, frozenset(hidden)))
    return out
