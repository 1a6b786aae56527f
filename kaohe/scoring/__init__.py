"""The pure scoring engine: frozen dataclasses in, results with their reasons out.

Nothing here imports Django or touches a database; :mod:`kaohe.services.scoring` loads the
facts and hands them over.
"""

from .engine import score_scheme
from .facts import AsOf, Figure, Measure, RatingsByUnit, RatingTally, Row, TalliesByUnit, Tally, UnitFact
from .result import ItemResult, Line, SchemeResult, UnitResult
from .spec import (
    Band,
    EconomicSpec,
    GradeSpec,
    GroupSpec,
    ItemSpec,
    Kind,
    Method,
    RaterGroupSpec,
    RuleSpec,
    SchemeSpec,
    SourceSpec,
)

__all__ = [
    "AsOf",
    "Band",
    "EconomicSpec",
    "Figure",
    "GradeSpec",
    "GroupSpec",
    "ItemResult",
    "ItemSpec",
    "Kind",
    "Line",
    "Measure",
    "Method",
    "RaterGroupSpec",
    "RatingTally",
    "RatingsByUnit",
    "Row",
    "RuleSpec",
    "SchemeResult",
    "SchemeSpec",
    "SourceSpec",
    "TalliesByUnit",
    "Tally",
    "UnitFact",
    "UnitResult",
    "score_scheme",
]
