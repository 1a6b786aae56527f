"""The public answer page of a survey invitation: no login, phone first, a plain form POST (no script).

Whatever is wrong with a link, the page says so in one sentence and shows nothing else: not whether other
invitations exist, nor anything about other respondents. CSRF protection stays on for anonymous visitors
(Django's cookie-based check).
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kaohe.actions.surveys import AnswersRejected, do_answer_survey
from kaohe.imports.survey_answers import token_hash
from kaohe.models import Invitation, Survey
from kaohe.refusals import Refused

from .answer_limits import over_limit

TOKEN_MAX = 100


def _notice(request, message: str, status: int):
    return render(request, "kaohe/survey_notice.html", {"message": message}, status=status)


def _rows(questions, scale, typed, errors):
    rows = []
    for q in questions:
        if q.kind == "rating":
            if q.questionnaire.letters and scale:
                choices = [(k.upper(), f"{k.upper()} {v}") for k, v in scale.items()]
            else:
                choices = [(str(n), str(n)) for n in range(5, 0, -1)]
        elif q.kind == "yes_no":
            choices = [("yes", _("Yes")), ("no", _("No"))]
        elif q.kind == "choice":
            choices = [(str(o.get("label", "")), str(o.get("label", ""))) for o in q.options or []]
        else:
            choices = []
        rows.append({"q": q, "choices": choices, "value": typed.get(q.pk, ""), "error": errors.get(q.pk, "")})
    return rows


@never_cache
def answer(request, token: str):
    with translation.override(settings.LANGUAGE_CODE):  # the respondents read Chinese, whatever the browser says
        return _answer(request, token)


def _answer(request, token: str):
    if over_limit(token, request.META.get("REMOTE_ADDR", "")):
        return _notice(request, _("Too many attempts from here. Please wait ten minutes and try again."), 429)
    invitation = None
    if len(token) <= TOKEN_MAX:
        invitation = Invitation.objects.filter(token_hash=token_hash(token)).select_related("unit").first()
    if invitation is None:
        return _notice(request, _("This link is not valid. Please check it against your invitation."), 404)
    if invitation.used:
        return _notice(request, _("This invitation has already been answered. Thank you."), 410)
    survey = Survey.objects.select_related("questionnaire", "round__scheme").get(pk=invitation.survey_id)
    questions = list(survey.questionnaire.questions.select_related("questionnaire"))
    typed, errors = {}, {}
    if request.method == "POST":
        typed = {q.pk: request.POST.get(f"q{q.pk}", "") for q in questions}
        try:
            do_answer_survey(token, typed)
        except AnswersRejected as rejected:
            errors = rejected.errors
        except Refused as refused:
            return _notice(request, str(refused), 409)
        else:
            return _notice(request, _("Thank you. Your answers have been received."), 200)
    return render(request, "kaohe/survey_answer.html", {
        "survey": survey, "unit": invitation.unit.name, "errors": errors,
        "rows": _rows(questions, survey.round.scheme.rating_scale, typed, errors)}, status=422 if errors else 200)
