"""Every report by its code; the Desk, the command line and the permission check look them up here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kaohe.refusals import Refused

from .appraisal_grades import AppraisalGrades
from .at_risk import AtRisk
from .base import Report
from .consistency import Consistency
from .deduction_causes import DeductionCauses
from .ledger_detail import LedgerDetail
from .matrix import Matrix
from .progress import Progress
from .ranking import Ranking
from .year_over_year import YearOverYear

REPORTS: dict[str, Report] = {r.code: r for r in (Ranking(), LedgerDetail(), DeductionCauses(), Progress(),
                                                   Consistency(), AppraisalGrades())}
REPORTS.update({r.code: r for r in (Matrix(), YearOverYear(), AtRisk())})


def get_report(code: str) -> Report:
    try:
        return REPORTS[code]
    except KeyError:
        raise Refused("unknown_report", _("There is no report %(code)s."), code=code) from None
