"""Plan time: whole seconds since the Unix epoch (UTC), turned into text only when a row is
written. Integers keep the replays fast; the anchor keeps them independent of the day they
run. Calendar days are UTC days, here and in the validator.

Rows carry timestamps as PostgreSQL input text ("2026-06-30 17:00:00+00"), not datetimes:
psycopg's COPY dumps an aware datetime at about 1.5 us, several times the cost of this
text, and most seeded rows have two."""

import functools
from datetime import date, timedelta

from terp.plans.calendar import ANCHOR, history_start

MINUTE = 60
HOUR = 3_600
DAY = 86_400
ANCHOR_TS = int(ANCHOR.timestamp())
_EPOCH_DAY = date(1970, 1, 1).toordinal()
# Pacific office hours, 8:00-16:00 PST (9:00-17:00 PDT), in UTC hours of the day: the same
# UTC day as the Pacific one, so a moment's UTC weekday is its Pacific weekday.
OFFICE_HOURS_UTC = range(16, 24)


_CLOCK_MINUTES = tuple(f"{minute // 60:02d}:{minute % 60:02d}:" for minute in range(24 * 60))
_CLOCK_SECONDS = tuple(f"{second:02d}+00" for second in range(60))


@functools.cache  # a profile's history spans a few hundred days
def _day_text(days_since_epoch: int) -> str:
    return date.fromordinal(_EPOCH_DAY + days_since_epoch).isoformat()


def timestamp_text(ts: int) -> str:
    """`ts` as timestamptz input text, in UTC."""
    days, seconds = divmod(ts, DAY)
    return (
        f"{_day_text(days)} {_CLOCK_MINUTES[seconds // MINUTE]}{_CLOCK_SECONDS[seconds % MINUTE]}"
    )


def date_text(ts: int) -> str:
    """The UTC calendar day of `ts` as date input text."""
    return _day_text(ts // DAY)


def day(ts: int) -> date:
    """The UTC calendar day of `ts`."""
    return date.fromordinal(_EPOCH_DAY + ts // DAY)


def midnight(on: date) -> int:
    """The first second of UTC day `on`."""
    return (on.toordinal() - _EPOCH_DAY) * DAY


def days_between(earlier: date, later: date) -> int:
    return later.toordinal() - earlier.toordinal()


def history_start_ts(months: int) -> int:
    return int(history_start(months).timestamp())


def plus_days(value: date, days: int) -> date:
    return value + timedelta(days=days)


def is_office_time(moment: int) -> bool:
    """Whether `moment` falls on a weekday, in Pacific office hours."""
    return (moment % DAY) // HOUR in OFFICE_HOURS_UTC and weekday(moment) < 5


def office_moment(moment: int) -> int:
    """The moment, or the next weekday's opening when it falls on a weekend or outside
    Pacific office hours."""
    hour = (moment % DAY) // HOUR
    if hour not in OFFICE_HOURS_UTC:
        start = moment - moment % DAY + OFFICE_HOURS_UTC[0] * HOUR
        moment = start if hour < OFFICE_HOURS_UTC[0] else start + DAY
    while weekday(moment) >= 5:
        moment += DAY
    return moment


def weekday(moment: int) -> int:
    """The UTC day's weekday, Monday 0 (1970-01-01 was a Thursday): no date object."""
    return (moment // DAY + 3) % 7
