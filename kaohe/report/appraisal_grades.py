"""``appraisal_grades`` (weighted schemes): grades against their quota per department, rater-group means, and
outlying ratings. Who rated is shown to the administrator only (``permissions.can_see_raters``); everyone else
reads an anonymous label, as the engine and every other page see counts and sums per rater group only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kaohe.models import UnitGroup
from kaohe.numbers import plain
from kaohe.permissions import can_see_raters
from kaohe.services.ranking import round_unit_names, scored_round

from .appraisal_rows import MIN_RATINGS, OUTLIER_POINTS, grade_rows, outlier_rows, rater_rows, ratings_of
from .base import DECIMAL, INT, TEXT, Column, Report


class AppraisalGrades(Report):
    code = "appraisal_grades"
    name = _("Appraisal grades and raters")
    filters = ("group",)
    methods = ("weighted",)

    def columns(self, round_):
        return [
            Column("part", _("part"), TEXT, 10), Column("department", _("department"), TEXT, 14),
            Column("grade", _("grade"), TEXT, 8), Column("subject", _("subject"), TEXT, 10),
            Column("criterion", _("criterion"), TEXT, 18), Column("rater_group", _("rater group"), TEXT, 20),
            Column("rater", _("rater"), TEXT, 10), Column("count", _("count"), INT, 7),
            Column("members", _("members"), INT, 8), Column("limit", _("quota limit"), INT, 8),
            Column("value", _("value"), DECIMAL, 9), Column("reference", _("reference"), DECIMAL, 9),
            Column("gap", _("difference"), DECIMAL, 9), Column("detail", _("detail"), TEXT, 24),
        ]

    def rows(self, round_, filters, user=None):
        departments = dict(UnitGroup.objects.order_by("order", "code").values_list("code", "name"))
        only = filters.get("group")
        ratings = list(ratings_of(round_, round_unit_names(round_), only))
        return [*grade_rows(round_, scored_round(round_), departments, only),
                *rater_rows(round_, ratings, departments),
                *outlier_rows(round_, ratings, departments, show_raters=can_see_raters(user))]

    def chart(self, round_, rows):
        """One bar per department and grade: its head count, with the quota's head count as a mark."""
        grades = [r for r in rows if r["part_code"] == "grades"]
        if not grades:
            return None
        return {"kind": "bar", "title": str(_("Grades against quota")),
                "categories": [f"{r['department']} · {r['grade']}" for r in grades],
                "values": [str(r["count"]) for r in grades], "series": [r["department"] for r in grades],
                "limits": [r["limit"] for r in grades]}

    def summary(self, rows):
        graded = {r["department_code"]: r["members"] for r in rows if r["part_code"] == "grades"}
        return str(_("%(subjects)d graded in %(departments)d departments; %(outliers)d outlying ratings: a rating "
                     "more than %(points)s points from the median of the ratings (at least %(least)d) of the same "
                     "subject, criterion, source and period")) % {
            "subjects": sum(graded.values()), "departments": len(graded),
            "outliers": sum(1 for r in rows if r["part_code"] == "outliers"), "points": plain(OUTLIER_POINTS),
            "least": MIN_RATINGS}
