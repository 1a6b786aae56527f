"""Saving or deleting one record from an edit form (the administrator's Desk and the admin), through the same
checks as every other writer: the role, the locks of signed content, the model's own validation, the audit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from kaohe.models import (
    EconomicIndicator,
    Grade,
    Indicator,
    Question,
    Questionnaire,
    RaterGroup,
    RatingSource,
    Response,
    Rule,
    Scheme,
    SchemeGroup,
    Unit,
)
from kaohe.permissions import can_edit_scheme
from kaohe.refusals import NotAllowed, Refused

from .audit import audit, fields_of
from .locks import LockBook, check_unit_unlocked

# Records that feed every unit's score or the ranking as a whole: locked by anything signed in the round.
WHOLE_SCHEME = (Scheme, SchemeGroup, EconomicIndicator, Grade, RatingSource, RaterGroup)


def _scheme_of(obj):
    if isinstance(obj, Scheme):
        return obj if obj.pk else None
    if isinstance(obj, RaterGroup):
        return obj.source.scheme
    if isinstance(obj, Question):
        return obj.questionnaire.scheme
    return getattr(obj, "scheme", None)


def _sections(obj: models.Model) -> set[int | None] | None:
    """The sections whose sheets an item or rule feeds (old and new, when it moves); None: the whole scheme."""
    stored = type(obj).objects.filter(pk=obj.pk).first() if obj.pk else None
    versions = [v for v in (stored, obj) if v is not None]
    if isinstance(obj, Rule):
        found = set()
        for version in versions:
            indicator = Indicator.objects.filter(pk=version.indicator_id).first() if version.indicator_id else None
            found.add(indicator.section_id if indicator else None)
        return found
    if isinstance(obj, Indicator):
        if obj.pk and obj.children.exists():
            return None
        return {v.section_id for v in versions}
    return None


def lock_refusal(obj: models.Model) -> Refused | None:
    """Why ``obj`` may not change now because signed content rests on it (None: it may)."""
    if isinstance(obj, Unit):
        if obj.pk is None:
            return None
        try:
            check_unit_unlocked(obj.pk)
        except Refused as refusal:
            return refusal
        return None
    scheme = _scheme_of(obj)
    if scheme is None or not isinstance(obj, (*WHOLE_SCHEME, Indicator, Rule)):
        return None
    locks = LockBook(scheme)
    if locks.empty:
        return None
    sections = _sections(obj)
    if sections is None:
        return locks.for_anything()
    for section in sections:
        refusal = locks.for_section(section)
        if refusal is not None:
            return refusal
    return None


def _answered(obj: models.Model) -> Questionnaire | None:
    """The questionnaire version ``obj`` belongs to, when it has answers (and so may no longer change)."""
    if isinstance(obj, Question) and obj.questionnaire_id:
        questionnaire = obj.questionnaire
    elif isinstance(obj, Questionnaire) and obj.pk:
        questionnaire = obj
    else:
        return None
    return questionnaire if Response.objects.filter(questionnaire=questionnaire).exists() else None


def check_save(obj: models.Model, acting_user) -> None:
    if not can_edit_scheme(acting_user):
        raise NotAllowed("admin_only", _("Only an administrator changes this."))
    answered = _answered(obj)
    if answered is not None:
        raise Refused("questionnaire_answered", _("%(name)s version %(version)s has answers and stays as they were "
                                                  "given: make a new version and edit that."),
                      name=answered.name, version=answered.version)
    refusal = lock_refusal(obj)
    if refusal is not None:
        raise refusal


@transaction.atomic
def do_save_record(obj: models.Model, *, acting_user, reason: str = "") -> models.Model:
    check_save(obj, acting_user)
    try:
        obj.full_clean()
    except ValidationError as invalid:
        raise Refused("invalid", "; ".join(invalid.messages)) from None
    stored = type(obj).objects.filter(pk=obj.pk).first() if obj.pk else None
    before = fields_of(stored) if stored else None
    obj._change_reason = reason or "edit"
    obj.save()
    after = fields_of(obj)
    if before != after:
        audit(acting_user, f"{obj._meta.model_name}.{'change' if stored else 'add'}", scheme=_scheme_of(obj),
              target=obj, before=before, after=after)
    return obj


@transaction.atomic
def do_delete_record(obj: models.Model, *, acting_user) -> None:
    check_save(obj, acting_user)
    before = fields_of(obj)
    scheme = _scheme_of(obj)
    label = str(obj)
    obj.delete()
    audit(acting_user, f"{obj._meta.model_name}.delete", scheme=scheme, target=label, before=before)
