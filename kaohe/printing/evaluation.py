"""The evaluation report (评估报告) of a key project: scores per dimension, the on-site reviews, the panel's
findings, problems and suggestions, the questionnaire summary, and the improvement plan when one is due.

``evaluation_report`` receives ``round``, ``project`` {name, group_name, total, rank, grade, unscored,
needs_plan}, ``dimensions`` (as the appraisal form's), ``notes``, ``findings`` {findings, problems,
suggestions} (empty text until the panel writes them), ``site_reviews`` [{date, evaluators, observed,
files[]}], ``survey`` {source, groups [{code, name, responses, minimum, counted}], responses, questions
[{order, text, criterion, answered, mean}], comments[]} and ``plan`` {actions, owner, due} or none.

The questionnaire is the scheme's survey source (``RatingSource.survey``), read from the responses of the
round's surveys on it; comments carry no identity and are listed in alphabetical order.
"""

from __future__ import annotations

from django.db.models import Count

from kaohe.models import (
    Grade,
    ImprovementPlan,
    PanelFindings,
    RaterGroup,
    RatingSource,
    Response,
    Round,
    SiteReview,
    Survey,
)
from kaohe.services.surveys import survey_results

from .context import (
    Document,
    SchemeNames,
    criterion,
    decided_signature,
    flat_note,
    ordered_units,
    round_facts,
    round_result,
    text,
    unit_path,
)


def survey_summary(unit_id: int | None, surveys: list[Survey], groups: list[tuple[str, str, int]]) -> dict:
    """The questionnaire's returned forms about one unit per invitation group, counted or not against the group's
    minimum; each scored question's mean (0–100) and the free-text comments, as the unit itself may see them."""
    returned = dict(Response.objects.filter(survey__in=surveys, unit_id=unit_id).values("group")
                    .annotate(n=Count("id")).values_list("group", "n")) if surveys and unit_id else {}
    rows = [{"code": code, "name": name, "responses": returned.get(code, 0), "minimum": minimum,
             "counted": returned.get(code, 0) >= max(minimum, 1)} for code, name, minimum in groups]
    questions, comments = [], []
    for survey in surveys if unit_id else ():
        for question in survey_results(survey, frozenset({unit_id})).questions:
            if question.criterion:
                questions.append({"order": question.order, "text": question.text, "criterion": question.criterion,
                                  "answered": question.answered, "mean": text(question.mean)})
            comments.extend(question.comments)
    return {"groups": rows, "responses": sum(r["responses"] for r in rows), "questions": questions,
            "comments": sorted(comments)}


def evaluation_documents(round_: Round, names: list[str] | None = None) -> list[Document]:
    result, facts, scheme = round_result(round_), round_facts(round_), SchemeNames(round_.scheme)
    signature = decided_signature(round_)
    ids = dict(round_.sheets.values_list("unit__name", "unit_id"))
    source = RatingSource.objects.filter(scheme=round_.scheme, survey=True).order_by("order", "id").first()
    groups = list(RaterGroup.objects.filter(source=source).order_by("order").values_list(
        "code", "name", "min_raters")) if source else []
    surveys = list(Survey.objects.filter(round=round_, source=source).select_related(
        "round__scheme", "questionnaire", "source").order_by("created_at", "id")) if source else []
    planned = set(Grade.objects.filter(scheme=round_.scheme, needs_plan=True).values_list("code", flat=True))
    findings = {f.unit.name: f for f in PanelFindings.objects.filter(round=round_).select_related("unit")}
    plans = {p.unit.name: p for p in ImprovementPlan.objects.filter(round=round_).select_related("unit")}
    reviews: dict[str, list[dict]] = {}
    for review in (SiteReview.objects.filter(scheme=round_.scheme).select_related("unit")
                   .prefetch_related("files").order_by("date", "id")):
        reviews.setdefault(review.unit.name, []).append({
            "date": review.date.isoformat(), "evaluators": review.evaluators, "observed": review.observed,
            "files": [f.original_name for f in review.files.all()]})
    documents = []
    for unit in ordered_units(result):
        if names is not None and unit.unit not in names:
            continue
        dimensions = []
        for code in scheme.children.get(None, []):
            item = unit.items.get(code)
            dimensions.append({"code": code, "name": scheme.items[code].name,
                               "weight": text(scheme.items[code].weight), "score": text(item.score) if item else "",
                               "criteria": [criterion(scheme, c, unit.items.get(c))
                                            for c in scheme.children.get(code, [])]})
        written = findings.get(unit.unit)
        plan = plans.get(unit.unit)
        data = {
            "round": facts,
            "project": {"name": unit.unit, "group_name": scheme.groups.get(unit.group, unit.group),
                        "total": text(unit.total), "rank": text(unit.rank), "grade": unit.grade or "",
                        "unscored": unit.unscored, "needs_plan": (unit.grade or "") in planned},
            "dimensions": dimensions,
            "notes": [flat_note(n, scheme.sources) for n in unit.notes],
            "findings": {"findings": written.findings if written else "",
                         "problems": written.problems if written else "",
                         "suggestions": written.suggestions if written else ""},
            "site_reviews": reviews.get(unit.unit, []),
            "survey": {"source": source.name if source else "", **survey_summary(ids.get(unit.unit), surveys, groups)},
            "plan": {"actions": plan.actions, "owner": plan.owner, "due": plan.due.isoformat()} if plan else None,
        }
        documents.append(Document(unit.unit, data, signature, unit_path(round_, ids, unit.unit), unit=unit.unit))
    return documents
