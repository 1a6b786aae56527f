"""The evaluation report (评估报告) of a key project: scores per dimension, the on-site reviews, the panel's
findings, problems and suggestions, the questionnaire summary, and the improvement plan when one is due.

``evaluation_report`` receives ``round``, ``project`` {name, group_name, total, rank, grade, unscored,
needs_plan}, ``dimensions`` (as the appraisal form's), ``notes``, ``findings`` {findings, problems,
suggestions} (empty text until the panel writes them), ``site_reviews`` [{date, evaluators, observed,
files[]}], ``survey`` {source, groups [{code, name, responses, minimum, counted}], responses} and ``plan``
{actions, owner, due} or none.
"""

from __future__ import annotations

from kaohe.models import Grade, ImprovementPlan, PanelFindings, RaterGroup, Round, SiteReview
from kaohe.scoring import UnitResult

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

SURVEY_SOURCE = "survey"  # the questionnaire's source in the project and centre schemes


def survey_summary(unit: UnitResult, groups: list[tuple[str, str, int]]) -> dict:
    """Responses per questionnaire group: the most answers any criterion had (a returned form answers them
    all), counted or not against the group's minimum."""
    responses = {code: 0 for code, _name, _minimum in groups}
    for item in unit.items.values() if groups else ():
        for line in item.lines:
            if line.source != "measure" or not isinstance(line.detail.get("sources"), list):
                continue  # only a rating leaf's line lists its sources (another kind's detail has other keys)
            for source in [*line.detail["sources"], *line.detail.get("missing", [])]:
                if source.get("source") != SURVEY_SOURCE:
                    continue
                for group in [*source.get("groups", []), *source.get("short", [])]:
                    if group["group"] in responses:
                        responses[group["group"]] = max(responses[group["group"]], int(group["raters"]))
    rows = [{"code": code, "name": name, "responses": responses[code], "minimum": minimum,
             "counted": responses[code] >= minimum and responses[code] > 0} for code, name, minimum in groups]
    return {"groups": rows, "responses": sum(r["responses"] for r in rows)}


def evaluation_documents(round_: Round, names: list[str] | None = None) -> list[Document]:
    result, facts, scheme = round_result(round_), round_facts(round_), SchemeNames(round_.scheme)
    signature = decided_signature(round_)
    ids = dict(round_.sheets.values_list("unit__name", "unit_id"))
    groups = list(RaterGroup.objects.filter(source__scheme=round_.scheme, source__code=SURVEY_SOURCE)
                  .order_by("order").values_list("code", "name", "min_raters"))
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
            "survey": survey_summary(unit, groups),
            "plan": {"actions": plan.actions, "owner": plan.owner, "due": plan.due.isoformat()} if plan else None,
        }
        documents.append(Document(unit.unit, data, signature, unit_path(round_, ids, unit.unit), unit=unit.unit))
    return documents
