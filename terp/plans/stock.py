"""Where each batch ends up: the running sum of its movements, replayed from the trading
simulation, so the batches revision can write on_hand_qty (and the quantities set aside)
equal to the last movement the movements revision will write three revisions later."""

from dataclasses import dataclass

from terp.plans.trading import StockMove


@dataclass(slots=True)
class BatchOutcome:
    on_hand: int = 0  # hundredths
    sampled: int = 0
    quarantined: int = 0
    cleared: int = 0  # returned to its consignor or written off, unsold
    last_moved: int | None = None  # epoch seconds of the last movement
    emptied: int | None = None  # when a sale took the last unit


class StockBook:
    """Per-batch running totals, fed one movement at a time."""

    def __init__(self, batch_count: int) -> None:
        self.outcomes = [BatchOutcome() for _ in range(batch_count)]

    def apply(self, move: StockMove) -> None:
        outcome = self.outcomes[move.batch]
        outcome.on_hand += move.change
        outcome.last_moved = move.moment
        if move.kind == "SAMPLE":
            outcome.sampled -= move.change
        elif move.kind == "QUARANTINE":
            outcome.quarantined -= move.change
        elif move.kind in ("RETURN", "DISPOSAL"):
            outcome.cleared -= move.change
        elif move.kind == "SALE" and outcome.on_hand == 0:
            outcome.emptied = move.moment
