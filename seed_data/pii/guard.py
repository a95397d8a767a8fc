"""Generation reads the registry: every value a seed revision writes into a registered
PII column passes the scanner's checks for its kind, or the revision fails before it
commits. Synthetic by construction, and checked: a seeder that one day takes a real-looking
value (a non-reserved e-mail domain, a phone outside 555-01xx, an id without the seed-
prefix) cannot write it. The message names the column and the kind, never the value."""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from seed_data import project
from seed_data.errors import SeedIntegrityError
from seed_data.pii.shapes import findings


def checked_rows(
    revision: str, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Iterator[Sequence[Any]]:
    registry = project.current().pii_by_name
    checks = [
        (index, registered)
        for index, name in enumerate(columns)
        if (registered := registry.get((table, name))) is not None
    ]
    if not checks:
        yield from rows
        return
    for row in rows:
        for index, registered in checks:
            value = row[index]
            if value is None:
                continue
            found = findings(registered.kind, str(value))
            if found:
                raise SeedIntegrityError(
                    f"{revision}: a generated value of {registered.name} looks like real PII "
                    f"({', '.join(sorted(found))}); PII columns take values only from "
                    "the project's fakes (reserved e-mail domains, 555-01xx phones, word lists). "
                    "Nothing of this revision was committed."
                )
        yield row
