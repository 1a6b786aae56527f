from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportOutcome:
    kind: str
    rows: int
    batch_id: int | None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate_of: int | None = None  # the earlier batch with the same rows; nothing was written

    def summary(self) -> str:
        if self.duplicate_of is not None and self.batch_id is None:
            return (f"these {self.rows} rows are already in the ledger (batch #{self.duplicate_of}); "
                    "nothing was written")
        if self.duplicate_of is not None:
            return (f"imported {self.created} new {self.kind} rows as batch #{self.batch_id}; {self.unchanged} rows "
                    f"were already in the ledger (batch #{self.duplicate_of})")
        return (f"imported {self.rows} {self.kind} rows as batch #{self.batch_id}: "
                f"{self.created} new, {self.updated} changed, {self.unchanged} unchanged")
