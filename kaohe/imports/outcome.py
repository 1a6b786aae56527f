from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What a file held, as the summary names it in the reader's language.
KINDS = {"ledger": gettext_lazy("ledger"), "economy": gettext_lazy("economic figures"), "units": gettext_lazy("unit"),
         "groups": gettext_lazy("group"), "ratings": gettext_lazy("rating"), "measures": gettext_lazy("measurement"),
         "objectives": gettext_lazy("objectives tree"),
         "survey_answers": gettext_lazy("questionnaire")}


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
        values = {"rows": self.rows, "kind": str(KINDS.get(self.kind, self.kind)), "batch": self.batch_id,
                  "earlier": self.duplicate_of, "created": self.created, "updated": self.updated,
                  "unchanged": self.unchanged}
        if self.duplicate_of is not None and self.batch_id is None:
            return _("these %(rows)s rows are already in the ledger (batch #%(earlier)s); nothing was written") % values
        if self.duplicate_of is not None:
            return _("imported %(created)s new %(kind)s rows as batch #%(batch)s; %(unchanged)s rows were already in "
                     "the ledger (batch #%(earlier)s)") % values
        return _("imported %(rows)s %(kind)s rows as batch #%(batch)s: %(created)s new, %(updated)s changed, "
                 "%(unchanged)s unchanged") % values
