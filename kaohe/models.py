"""Django discovers the models here; each concept lives in its own module under ``doctype``."""

from .doctype.aggregate import RuleTotal, ScoreState, Standing
from .doctype.appraisal import Grade, ImprovementPlan, Measurement, RaterGroup, Rating, RatingSource
from .doctype.assessment import Evidence, Notification, Objection, PublishedResult, Round, ScoreSheet
from .doctype.audit import AuditEvent
from .doctype.ledger import EconomicFigure, ImportBatch, LedgerEntry
from .doctype.people import Delegation, Membership, Profile, Role
from .doctype.scheme import EconomicIndicator, Indicator, Rule, Scheme, SchemeGroup
from .doctype.unit import Section, Unit, UnitGroup
from .workflow.models import Approval, Signature, State, Transition, TransitionLog, Workflow

__all__ = [
    "Approval",
    "AuditEvent",
    "Delegation",
    "EconomicFigure",
    "EconomicIndicator",
    "Evidence",
    "Grade",
    "ImportBatch",
    "ImprovementPlan",
    "Indicator",
    "LedgerEntry",
    "Measurement",
    "Membership",
    "Notification",
    "Objection",
    "Profile",
    "PublishedResult",
    "RaterGroup",
    "Rating",
    "RatingSource",
    "Role",
    "Round",
    "Rule",
    "RuleTotal",
    "Scheme",
    "SchemeGroup",
    "ScoreSheet",
    "ScoreState",
    "Section",
    "Signature",
    "Standing",
    "State",
    "Transition",
    "TransitionLog",
    "Unit",
    "UnitGroup",
    "Workflow",
]
