"""The seeded world's calendar. Dates are anchored to a fixed day, not today, so the same
random seed gives the same rows on any day; the profile's months run up to it."""

import random
from datetime import UTC, datetime, timedelta

ANCHOR = datetime(2026, 6, 30, 17, 0, tzinfo=UTC)


def history_start(months: int) -> datetime:
    return ANCHOR - timedelta(days=round(months * 30.44))


def moment_between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A moment in [start, end), to the second."""
    span = max(int((end - start).total_seconds()), 1)
    return start + timedelta(seconds=rng.randrange(span))


def onboarding_moment(rng: random.Random, months: int) -> datetime:
    """When a user, vendor or client joined: in the year before the order history starts."""
    start = history_start(months)
    return moment_between(rng, start - timedelta(days=365), start)
