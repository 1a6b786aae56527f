"""Rating in the Desk: "my ratings to give" (360° groups and the self-appraisal alike), one page per person
rated with a draft and a submission, and each rater group's progress for the administrator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kaohe.actions.rating_entry import RatingsRejected, do_save_rating_draft, do_submit_ratings
from kaohe.models import RatingAssignment, Round
from kaohe.permissions import can_rate, can_view_rating_progress
from kaohe.refusals import NotAllowed, Refused
from kaohe.services.rating_entry import criteria_for, open_assignments, period_for, progress_by_group, uses_letters

from .common import visible


@login_required
def ratings_to_give(request):
    return render(request, "kaohe/ratings_to_give.html", {"assignments": open_assignments(request.user)})


def _entries(request, criteria) -> dict[str, tuple[str, str]]:
    return {rule.code: (request.POST.get(f"rating-{rule.pk}", ""), request.POST.get(f"note-{rule.pk}", ""))
            for rule in criteria}


@login_required
def rate(request, pk: int):
    assignment = get_object_or_404(RatingAssignment.objects.select_related(
        "round__scheme", "group__source", "ratee"), pk=pk)
    if not can_rate(request.user, assignment):
        raise Http404  # someone else's assignment: the same answer as one that does not exist
    criteria = criteria_for(assignment)
    typed = {code: {"rating": r, "note": n} for code, (r, n) in _entries(request, criteria).items()} \
        if request.method == "POST" else assignment.draft
    errors = {}
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        act = do_submit_ratings if submit else do_save_rating_draft
        entries = _entries(request, criteria)
        try:
            act(assignment, entries, acting_user=request.user)
        except RatingsRejected as rejected:
            errors = rejected.errors  # shown beside each criterion, with what was typed kept
            messages.error(request, str(rejected))
        except NotAllowed:
            raise
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Your ratings are submitted.") if submit else _("Your draft is saved."))
            return redirect("kaohe:ratings_to_give") if submit else redirect("kaohe:rate", pk)
    scheme = assignment.round.scheme
    rows = [{"rule": rule, "rating": typed.get(rule.code, {}).get("rating", ""),
             "note": typed.get(rule.code, {}).get("note", ""), "error": errors.get(rule.code, "")}
            for rule in criteria]
    return render(request, "kaohe/rate.html", {
        "a": assignment, "rows": rows, "letters": uses_letters(scheme), "scale": scheme.rating_scale.items(),
        "period": period_for(assignment.group.source, assignment.round)[0], "errors": errors,
        "is_self": assignment.group.code == "self"}, status=200)


@login_required
def rating_progress(request, pk: int):
    round_ = visible(Round, can_view_rating_progress, request.user, pk=pk)
    return render(request, "kaohe/rating_progress.html", {"round": round_, "groups": progress_by_group(round_)})
