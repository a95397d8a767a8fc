"""TERP's integrity rules (docs/data-model.md lists them), each one SQL query over the
tables: the logical references, the keys the database does not enforce, the amounts, the
stock and the dates. The engine (seed_data.validation) runs them."""

from seed_data.validation.model import Rule
from terp.rules import amounts, dates, keys, references, stock

RULES: tuple[Rule, ...] = (
    *references.RULES,
    *keys.RULES,
    *amounts.RULES,
    *stock.RULES,
    *dates.RULES,
)
