"""Django discovers the models here; each concept lives in its own module under ``doctype``."""

from .doctype.ledger import EconomicFigure, ImportBatch, LedgerEntry
from .doctype.scheme import EconomicIndicator, Indicator, Rule, Scheme, SchemeGroup
from .doctype.unit import Section, Unit, UnitGroup

__all__ = [
    "EconomicFigure",
    "EconomicIndicator",
    "ImportBatch",
    "Indicator",
    "LedgerEntry",
    "Rule",
    "Scheme",
    "SchemeGroup",
    "Section",
    "Unit",
    "UnitGroup",
]
