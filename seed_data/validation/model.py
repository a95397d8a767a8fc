"""A rule is one SQL query over the app's tables that returns the ids of the rows breaking
it; a violation is what a rule found: how many rows and one of them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str
    table: str  # whose ids the query returns
    reads: frozenset[str]  # every table the query reads (the rule runs when all exist)
    meaning: str  # what the rule says, in the app's own words where it has them
    query: str  # SELECT returning a column `id`
    # A derived column, whose definition counts the app's rows too: judged on the whole
    # database (`validate`), not on the seeded rows alone (the app adds its own part).
    whole_database: bool = False

    @classmethod
    def over(
        cls,
        name: str,
        table: str,
        reads: tuple[str, ...],
        meaning: str,
        query: str,
        whole_database: bool = False,
    ) -> "Rule":
        return cls(name, table, frozenset((table, *reads)), meaning, query, whole_database)


@dataclass(frozen=True)
class Violation:
    rule: str
    table: str
    count: int
    example_id: int
    meaning: str

    def __str__(self) -> str:
        return (
            f"rule {self.rule} broken in {self.table} ({self.count} rows, e.g. id "
            f"{self.example_id}): {self.meaning}"
        )
