"""What defines a scheme: the records a copy, an export and an import walk, in the order they are created.

Each entry is (model, the field pointing at the scheme or at the parent record). A field added to one of
these models later is copied, exported and imported without touching the code that walks them.
"""

from .appraisal import Grade, RaterGroup, RatingSource
from .scheme import EconomicIndicator, Indicator, Rule, SchemeGroup

DEFINITION = [
    (SchemeGroup, "scheme"),
    (EconomicIndicator, "scheme"),
    (Grade, "scheme"),
    (Indicator, "scheme"),
    (Rule, "scheme"),
    (RatingSource, "scheme"),
]
# Records that belong to one of the above rather than to the scheme itself.
NESTED = {RatingSource: [(RaterGroup, "source")]}
# A scheme's questionnaires are versioned, so they travel beside these: the newest version of each, renumbered 1
# (kaohe.actions.schemes, kaohe.services.scheme_yaml); what was asked and answered with them stays behind.
