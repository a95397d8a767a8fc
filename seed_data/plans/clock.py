"""Plan time: whole seconds since the Unix epoch (UTC), turned into datetimes only when a
row is written. Integers keep the replays fast; the anchor keeps them independent of the
day they run. Calendar days are UTC days, here and in the validator."""

from datetime import UTC, date, datetime, timedelta

from seed_data.generators.calendar import ANCHOR, history_start

MINUTE = 60
HOUR = 3_600
DAY = 86_400
ANCHOR_TS = int(ANCHOR.timestamp())
_EPOCH_DAY = date(1970, 1, 1).toordinal()


def moment(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def day(ts: int) -> date:
    """The UTC calendar day of `ts`."""
    return date.fromordinal(_EPOCH_DAY + ts // DAY)


def days_between(earlier: date, later: date) -> int:
    return later.toordinal() - earlier.toordinal()


def history_start_ts(months: int) -> int:
    return int(history_start(months).timestamp())


def plus_days(value: date, days: int) -> date:
    return value + timedelta(days=days)
