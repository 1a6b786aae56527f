"""Every file the command line imports, described once for the Desk's upload pages: its columns (the same
lists the validators read), whether it goes into a scheme (and which methods), whether it needs a month, and
which columns take a value from a list (units, rules …) that the template offers as a drop-down."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaohe.scoring import Method

from . import economy, ledger, measures, objectives, ratings, units


@dataclass(frozen=True)
class ImportKind:
    code: str
    name: Promise
    required: list[str]
    optional: list[str]
    methods: frozenset[str] = frozenset()  # the scheme methods it goes into; empty: no scheme
    needs_month: bool = False
    lists: dict[str, str] = field(default_factory=dict)  # column → which list of choices (see services)
    command: str = ""

    @property
    def columns(self) -> list[str]:
        return [*self.required, *self.optional]

    @property
    def needs_scheme(self) -> bool:
        return bool(self.methods)


KINDS: dict[str, ImportKind] = {kind.code: kind for kind in [
    ImportKind("ledger", _("Ledger rows"), ledger.REQUIRED, ledger.OPTIONAL, frozenset({Method.POINTS}),
               lists={"unit": "units", "rule": "entered_rules"}, command="import_ledger"),
    ImportKind("economy", _("Economic figures"), *economy.COLUMNS, frozenset({Method.POINTS}), needs_month=True,
               lists={"unit": "units", "indicator": "indicators"}, command="import_economy"),
    ImportKind("units", _("Units and people"), *units.UNIT_COLUMNS, lists={"group": "unit_groups"},
               command="import_units"),
    ImportKind("groups", _("Groups of units"), *units.GROUP_COLUMNS, command="import_groups"),
    ImportKind("ratings", _("Ratings"), *ratings.COLUMNS, frozenset({Method.WEIGHTED}),
               lists={"ratee": "units", "criterion": "rating_rules", "source": "sources", "group": "rater_groups"},
               command="import_ratings"),
    ImportKind("measures", _("Measurements and progress"), *measures.COLUMNS,
               frozenset({Method.WEIGHTED, Method.OBJECTIVES}),
               lists={"unit": "units", "indicator": "measured_rules"}, command="import_measures"),
    ImportKind("objectives", _("Objectives tree"), *objectives.COLUMNS, frozenset({Method.OBJECTIVES}),
               lists={"owner": "units"}, command="import_objectives"),
]}
