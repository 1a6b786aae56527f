"""The pure scoring engine: frozen dataclasses in, results with their reasons out.

Nothing here imports Django or touches a database; :mod:`kaohe.services.scoring` loads the
facts and hands them over.
"""

from .engine import score_scheme
from .facts import AsOf, Figure, Row, Tally, UnitFact
from .result import ItemResult, Line, SchemeResult, UnitResult
from .spec import Band, EconomicSpec, GroupSpec, ItemSpec, Kind, RuleSpec, SchemeSpec

__all__ = [
    "AsOf",
    "Band",
    "EconomicSpec",
    "Figure",
    "GroupSpec",
    "ItemResult",
    "ItemSpec",
    "Kind",
    "Line",
    "Row",
    "RuleSpec",
    "SchemeResult",
    "SchemeSpec",
    "Tally",
    "UnitFact",
    "UnitResult",
    "score_scheme",
]
