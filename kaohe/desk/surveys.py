"""Surveys in the Desk: the list (and opening one), a survey's results, printing invitations, paper forms.

The bureau sees every unit; an assessed unit sees its own aggregates and comments only, and nothing that
names a respondent exists to be shown.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.actions.surveys import do_import_paper_forms, do_invite, do_open_survey
from kaohe.imports.errors import ImportRejected
from kaohe.models import Questionnaire, RatingSource, Round, Survey
from kaohe.permissions import can_manage_surveys, survey_units_seen
from kaohe.printing.invitations import invitation_document
from kaohe.printing.render import current_format, print_documents
from kaohe.printing.sandbox import TemplateProblem
from kaohe.refusals import NotAllowed, Refused
from kaohe.services.surveys import invitation_groups, survey_results, survey_units
from kaohe.workflow.states import RoundState

from .common import posted_int


def _visible_surveys(user):
    found = Survey.objects.select_related("round__scheme", "questionnaire", "source").order_by("-created_at")
    return [s for s in found if _asks_about(s, survey_units_seen(user, s))]


def _asks_about(survey, units) -> bool:
    """Whether the survey is about a unit the user sees; ``None`` is every unit."""
    return units is None or (bool(units) and any(u.pk in units for u in survey_units(survey)))


@login_required
def survey_list(request):
    manager = can_manage_surveys(request.user)
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        round_ = Round.objects.filter(pk=posted_int(request, "round") or 0).select_related("scheme").first()
        questionnaire = Questionnaire.objects.filter(pk=posted_int(request, "questionnaire") or 0).first()
        source = RatingSource.objects.filter(pk=posted_int(request, "source") or 0).first()
        if round_ is None or questionnaire is None or source is None:
            messages.error(request, _("Choose a round, a questionnaire and the source it feeds."))
            return redirect("kaohe:surveys")
        try:
            closes = parse_date(request.POST.get("closes", "").strip())  # None when empty; ValueError when no day
            survey = do_open_survey(round_, questionnaire, source, name=request.POST.get("name", ""),
                                    closes=closes, acting_user=request.user)
        except NotAllowed:
            raise
        except Refused as refused:
            messages.error(request, str(refused))
            return redirect("kaohe:surveys")
        except ValueError:
            messages.error(request, _("The closing date is not a day of the calendar."))
            return redirect("kaohe:surveys")
        messages.success(request, _("The survey is open: print the invitations next."))
        return redirect("kaohe:survey", survey.pk)
    context = {"surveys": _visible_surveys(request.user), "manager": manager}
    if manager:
        context.update(
            rounds=Round.objects.filter(state=RoundState.OPEN, scheme__sources__survey=True).distinct()
            .select_related("scheme"),
            questionnaires=Questionnaire.objects.select_related("scheme").order_by("scheme", "code", "-version"),
            sources=RatingSource.objects.filter(survey=True).select_related("scheme"))
    return render(request, "kaohe/surveys.html", context)


def _survey_for(request, pk: int) -> tuple[Survey, frozenset[int] | None]:
    survey = get_object_or_404(Survey.objects.select_related("round__scheme", "questionnaire", "source"), pk=pk)
    seen = survey_units_seen(request.user, survey)
    if seen is not None and not _asks_about(survey, seen):
        raise Http404  # the same answer as for a survey that does not exist
    return survey, seen


@login_required
def survey_page(request, pk: int):
    survey, seen = _survey_for(request, pk)
    manager = can_manage_surveys(request.user)
    return render(request, "kaohe/survey.html", {
        "survey": survey, "results": survey_results(survey, seen), "manager": manager,
        "groups": invitation_groups(survey.source).items(), "units": survey_units(survey) if manager else []})


@login_required
@require_POST
def invite(request, pk: int):
    """New invitations, printed at once: the tokens exist in clear only in this PDF."""
    survey, _seen = _survey_for(request, pk)
    count = posted_int(request, "count") or 0
    unit_ids = [int(u) for u in request.POST.getlist("unit") if u.isdigit()]
    group = request.POST.get("group", "")
    fmt = current_format("survey_invitation")
    if fmt is None:
        raise Http404
    try:
        issued = do_invite(survey, [(group, unit_id, count) for unit_id in unit_ids], acting_user=request.user)
        printed = print_documents(fmt, [invitation_document(survey, issued, invitation_groups(survey.source),
                                                            request.build_absolute_uri("/").rstrip("/"))])
    except NotAllowed:
        raise
    except (Refused, TemplateProblem) as refused:
        messages.error(request, str(refused))
        return redirect("kaohe:survey", survey.pk)
    response = HttpResponse(printed.pdf, content_type="application/pdf")
    name = f"survey-{survey.pk}-invitations.pdf"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_POST
def import_paper(request, pk: int):
    survey, _seen = _survey_for(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the file of paper questionnaires."))
        return redirect("kaohe:survey", survey.pk)
    try:
        outcome = do_import_paper_forms(upload.read(), upload.name, survey, acting_user=request.user)
    except NotAllowed:
        raise
    except ImportRejected as rejected:
        for error in rejected.errors[:50]:
            messages.error(request, str(error))
        messages.error(request, _("Nothing was imported."))
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, outcome.summary())
    return redirect("kaohe:survey", survey.pk)
