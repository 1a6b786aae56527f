"""The Print menu's formats for a subject page (kaohe/print_menu.html)."""

from django import template

from kaohe.doctype.printing import PER_UNIT, Subject
from kaohe.permissions import can_print, can_print_whole_round
from kaohe.printing.render import current_formats

register = template.Library()


@register.simple_tag(takes_context=True)
def print_formats(context, subject: str, round_=None, unit=None, section=None) -> list:
    """The enabled formats in use for ``subject`` (on a unit's page also the appraisal forms, and for a weighted
    scheme the evaluation reports), if the user may print this subject; each as (format, whether it prints per
    unit)."""
    user, unit, section = context.get("user"), unit or None, section or None
    if not round_ or user is None:
        return []
    subjects = [subject]
    if subject == Subject.UNIT_RESULT:
        subjects.append(Subject.APPRAISAL_FORM)
        if round_.scheme.method != "points":
            subjects.append(Subject.EVALUATION_REPORT)
    shown = [f for f in _formats(context) if f.subject in subjects and f.enabled
             and can_print(user, round_, f.subject, unit=unit, section=section)]
    return [(f, f.subject in PER_UNIT) for f in shown]


@register.simple_tag(takes_context=True)
def batch_formats(context, round_) -> list:
    """Per-unit formats a batch can print for every unit of the round, for those who may."""
    if not round_ or not can_print_whole_round(context.get("user")):
        return []
    return [f for f in _formats(context) if f.subject in PER_UNIT and f.enabled]


def _formats(context) -> list:
    """The formats in use, read once per request however many menus a page shows."""
    request = context.get("request")
    if request is None:
        return current_formats()
    found = getattr(request, "_kaohe_print_formats", None)
    if found is None:
        found = request._kaohe_print_formats = current_formats()
    return found
