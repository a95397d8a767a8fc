"""Every logical-only reference resolves: TERP links many tables without a foreign key
(terp.references.LOGICAL_REFERENCES), so nothing but this check notices an orphan.
NULL links are allowed; polymorphic links count only where their condition holds."""

from seed_data.references import Reference
from seed_data.validation.model import Rule
from terp.references import LOGICAL_REFERENCES


def reference_rule(reference: Reference) -> Rule:
    child, column, parent = reference.child_table, reference.column, reference.parent_table
    condition = f" and ({reference.condition})" if reference.condition else ""
    where = f" where {reference.condition}" if reference.condition else ""
    return Rule.over(
        f"reference_{child}_{column}",
        child,
        (parent,),
        f"{child}.{column}{where} points at no {parent} row",
        f"select c.id from {child} c where c.{column} is not null{condition} "
        f"and not exists (select 1 from {parent} p where p.id = c.{column})",
    )


RULES = tuple(reference_rule(reference) for reference in LOGICAL_REFERENCES)
