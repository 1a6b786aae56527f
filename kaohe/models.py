"""Django discovers the models here; each concept lives in its own module under ``doctype``."""

from .doctype.aggregate import RuleTotal, ScoreState, Standing
from .doctype.appraisal import Grade, ImprovementPlan, Measurement, RaterGroup, Rating, RatingSource
from .doctype.assessment import Evidence, Notification, Objection, PublishedResult, Round, ScoreSheet
from .doctype.audit import AuditEvent
from .doctype.evaluation import PanelFindings, SiteReview, SiteReviewFile
from .doctype.jobs import ImportUpload, Job
from .doctype.ledger import EconomicFigure, ImportBatch, LedgerEntry
from .doctype.people import Delegation, Membership, Profile, Role
from .doctype.printing import PrintBatch, PrintFormat, PrintRecord
from .doctype.reviews import ProgressReport, ProgressReview, RatingAssignment
from .doctype.scheme import EconomicIndicator, Indicator, Rule, Scheme, SchemeGroup
from .doctype.survey import Answer, Invitation, Question, Questionnaire, Response, Survey, SurveyScore
from .doctype.unit import Section, Unit, UnitGroup
from .doctype.webhook import WebhookDelivery, WebhookEndpoint
from .workflow.models import Approval, Signature, State, Transition, TransitionLog, Workflow

__all__ = [
    "Answer",
    "Approval",
    "AuditEvent",
    "Delegation",
    "EconomicFigure",
    "EconomicIndicator",
    "Evidence",
    "Grade",
    "ImportBatch",
    "ImportUpload",
    "ImprovementPlan",
    "Indicator",
    "Invitation",
    "Job",
    "LedgerEntry",
    "Measurement",
    "Membership",
    "Notification",
    "Objection",
    "PanelFindings",
    "PrintBatch",
    "PrintFormat",
    "PrintRecord",
    "Profile",
    "ProgressReport",
    "ProgressReview",
    "PublishedResult",
    "Question",
    "Questionnaire",
    "RaterGroup",
    "Rating",
    "RatingAssignment",
    "RatingSource",
    "Response",
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
    "SiteReview",
    "SiteReviewFile",
    "Standing",
    "State",
    "Survey",
    "SurveyScore",
    "Transition",
    "TransitionLog",
    "Unit",
    "UnitGroup",
    "WebhookDelivery",
    "WebhookEndpoint",
    "Workflow",
]
