"""What one `alembic` invocation did: settings, revisions run, rows per table, time.
env.py creates it; seed revisions report into it; env.py prints it at the end."""

import time
from collections import Counter
from dataclasses import dataclass, field

from seed_data.backup import Written
from seed_data.plan import Step
from seed_data.settings import Settings

ATTRIBUTE = "seed_run"


@dataclass
class RevisionReport:
    revision: str
    direction: str  # "upgrade" or "downgrade"
    rows: dict[str, int]
    seconds: float
    id_ranges: dict[str, str] = field(default_factory=dict)  # what a downgrade deleted
    # where an upgrade's time went: seconds per table written, and "validation"
    timings: dict[str, float] = field(default_factory=dict)
    # rows of earlier revisions changed (upgrade) or changed back (downgrade), per column
    changed: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "revision": self.revision,
            "direction": self.direction,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            **({"id_ranges": self.id_ranges} if self.id_ranges else {}),
            **({"changed": self.changed} if self.changed else {}),
            **(
                {"timings": {key: round(value, 2) for key, value in self.timings.items()}}
                if self.timings
                else {}
            ),
        }


def dataset(profile: str, random_seed: int) -> str:
    return f"profile {profile}, random seed {random_seed}"


@dataclass
class SeedRun:
    settings: Settings
    # One clock for the summary and the audit row: from the settings being resolved to
    # the end of the run, waiting for the lock included.
    started: float = field(default_factory=time.perf_counter)
    seconds: float | None = None  # set once, when the run ends
    revisions: list[RevisionReport] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    completed: list[Step] = field(default_factory=list)  # steps committed (or, dry, done)
    planned: bool = False  # the plan was read: the run got as far as migrating
    environment: str | None = None  # effective: the stricter of SEED_ENV and the stamp
    database: str = "?"
    heads: tuple[str, ...] = ()  # alembic_version when the run started
    datasets: set[tuple[str, int]] = field(default_factory=set)  # (profile, seed) held
    backup: Written | None = None  # what a downgrade wrote before its first delete
    backup_planned: str | None = None  # where a dry run's downgrade would write one

    @property
    def defers_checks(self) -> bool:
        """Whether tables filled from empty get their foreign keys and indexes after the
        load (seed_data/deferred_checks.py). Unless SEED_LOAD_IN_PLACE says otherwise, only
        in development and test: in staging and production an empty table may still be
        one the application is about to write, and the load would lock it."""
        if self.settings.load_in_place is not None:
            return not self.settings.load_in_place
        return (self.environment or self.settings.environment) in ("development", "test")

    @property
    def in_flight(self) -> Step | None:
        """The step that was running when the run stopped, if any."""
        if len(self.completed) < len(self.steps):
            return self.steps[len(self.completed)]
        return None

    def add(self, report: RevisionReport) -> None:
        self.revisions.append(report)

    def finish(self) -> float:
        if self.seconds is None:
            self.seconds = time.perf_counter() - self.started
        return self.seconds

    def holdings(self) -> str:
        if not self.datasets:
            return "it holds no seed data"
        held = "; ".join(dataset(profile, seed) for profile, seed in sorted(self.datasets))
        return f"it holds seed data of {held}"

    def nothing_to_do(self) -> str:
        at = ", ".join(self.heads) or "base (no revision applied)"
        return f"nothing to do: the database is already at {at}; {self.holdings()}"

    def summary(self) -> str:
        settings = self.settings
        head = (
            f"{dataset(settings.profile.name, settings.random_seed)}, "
            f"environment {self.environment or settings.environment or 'not set'}, "
            f"{self.finish():.2f} s in all"
        )
        if settings.dry_run:
            head = "dry run: nothing written; " + head
        if not self.revisions:
            return f"seed: no seed revision to run ({head})"
        lines = [f"seed: {head}"]
        if self.backup is not None:
            lines.append(
                f"  backup: {self.backup.path} ({self.backup.rows:,} rows, "
                f"{self.backup.size / 1e6:.1f} MB): python -m seed_data restore puts them back"
            )
        if self.backup_planned is not None:
            lines.append(f"  backup: would be written to {self.backup_planned}/")
        for report in self.revisions:
            verb = "inserted" if report.direction == "upgrade" else "deleted"
            total = sum(report.rows.values())
            changed = sum(report.changed.values())
            also = f", changed {changed:,} earlier rows" if changed else ""
            lines.append(
                f"  {report.direction} {report.revision}: {verb} {total:,} rows{also} "
                f"in {report.seconds:.2f} s"
            )
        totals: Counter[str] = Counter()
        for report in self.revisions:
            sign = 1 if report.direction == "upgrade" else -1
            for table, count in report.rows.items():
                totals[table] += sign * count
        if totals:
            width = max(len(table) for table in totals)
            lines.append("  rows per table (net):")
            lines += [f"    {table:<{width}}  {count:>10,}" for table, count in totals.items()]
        return "\n".join(lines)
