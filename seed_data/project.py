"""The one description of the app being seeded: the engine reads it and never imports
the app.

The engine (the `seed_data` package) locks, plans, inserts, records, validates, rolls
back, masks and scans. What to seed and what to check comes from a `Project`: the
profiles, the references no foreign key declares, the integrity rules, the PII columns
with the word lists masking draws from, and any command of the app's own.
`migrations/env.py` hands the app's project over with `use`; `python -m seed_data` (and
any other caller) finds it through the entry point group `seed_data.projects`, which the
app's package declares in pyproject.toml. So no module of the engine names the app."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Protocol

from seed_data.errors import ConfigurationError

if TYPE_CHECKING:  # for the annotations only: these modules read the project themselves
    from seed_data.pii.registry import Kind, PiiColumn
    from seed_data.references import Reference
    from seed_data.validation.model import Rule

ENTRY_POINT_GROUP = "seed_data.projects"


class Profile(Protocol):
    """A data volume; the engine needs its name, the app's generators the rest."""

    @property
    def name(self) -> str: ...


class Command(Protocol):
    """A `python -m seed_data` subcommand of the app's own (a module with `register`)."""

    def register(self, subcommands: Any) -> None: ...


@dataclass(frozen=True)
class MaskingPools:
    """The word lists masking draws fakes from: the app's own, free of personal data."""

    company_words: Sequence[str]
    company_suffixes: Sequence[str]
    cities: Sequence[str]
    street_names: Sequence[str]
    street_suffixes: Sequence[str]
    notes: Sequence[str]
    area_codes: Sequence[str]  # real area codes: only the 555-01xx lines are drawn


@dataclass(frozen=True)
class Project:
    name: str  # as users call the app in messages ("TERP")
    profiles: Mapping[str, Profile]
    default_profile: str
    rules: Sequence[Rule]
    logical_references: Sequence[Reference]
    pii_columns: Sequence[PiiColumn]
    pii_generated: Mapping[Kind, str]  # how seeding makes each kind (the PII inventory)
    masking_pools: MaskingPools
    # columns that look personal but are deliberately not registered: (name, reason)
    pii_not_registered: Sequence[tuple[str, str]] = field(default=())
    commands: Sequence[Command] = field(default=())
    # Called once an upgrade's plan is checked, before its first revision, with the
    # profile, the random seed and the seeders the run will call: work the app's seeders
    # can start ahead, in another process (TERP's trading simulation).
    prepare: Callable[[Profile, int, Sequence[object]], None] | None = None

    @cached_property
    def pii_by_name(self) -> dict[tuple[str, str], PiiColumn]:
        return {(column.table, column.column): column for column in self.pii_columns}

    def pii_tables(self) -> tuple[str, ...]:
        """Tables with a PII column, in registry order, each once."""
        return tuple(dict.fromkeys(column.table for column in self.pii_columns))

    def pii_columns_of(self, table: str) -> tuple[PiiColumn, ...]:
        return tuple(column for column in self.pii_columns if column.table == table)

    def known_tables(self) -> set[str]:
        """The tables the rules read and the PII registry names: a database holding none
        of them is not this app's."""
        return {table for rule in self.rules for table in rule.reads} | set(self.pii_tables())


_current: Project | None = None


def use(project: Project) -> None:
    """Make `project` the one the engine reads (migrations/env.py calls it first)."""
    global _current
    _current = project


def current() -> Project:
    """The project handed over with `use`, else the one the installed app declares."""
    global _current
    if _current is None:
        found = list(entry_points(group=ENTRY_POINT_GROUP))
        if len(found) != 1:
            names = ", ".join(sorted(point.name for point in found)) or "none"
            raise ConfigurationError(
                f"expected one installed seeding project (entry point group "
                f"{ENTRY_POINT_GROUP}), found {names}: reinstall with `make` "
                "(pip install -e .)"
            )
        project = found[0].load()
        if not isinstance(project, Project):
            raise ConfigurationError(
                f"entry point {found[0].value} is not a seed_data.project.Project"
            )
        _current = project
    return _current
