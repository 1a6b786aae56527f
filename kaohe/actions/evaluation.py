"""A key project's evaluation: on-site reviews recorded in its ledger, and the panel's findings for its report."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaohe.models import PanelFindings, SiteReview, SiteReviewFile, Unit
from kaohe.permissions import can_record_site_review, can_write_findings
from kaohe.refusals import NotAllowed, Refused
from kaohe.workflow.states import RoundState

from .audit import audit, fields_of
from .evidence import check_upload


def _assessed(scheme, unit: Unit) -> bool:
    return scheme.groups.filter(group_id=unit.group_id).exists()


@transaction.atomic
def do_record_site_review(scheme, unit: Unit, *, day: date | None, evaluators: str, observed: str, files=(),
                          acting_user) -> SiteReview:
    """进行现场考核: one record, with its evidence files; never changed afterwards."""
    if not can_record_site_review(acting_user, scheme):
        raise NotAllowed("other_section", _("Only the staff of the section that scores this scheme record on-site "
                                            "reviews."))
    if not _assessed(scheme, unit):
        raise Refused("not_assessed", _("%(unit)s is not assessed under %(scheme)s."), unit=unit.name,
                      scheme=scheme.code)
    if day is None or day.year != scheme.year:
        raise Refused("date_outside_year", _("The date must be in the scheme's year %(year)s."), year=scheme.year)
    if not evaluators.strip() or not observed.strip():
        raise Refused("review_incomplete", _("An on-site review needs its evaluators and what was observed."))
    kinds = []
    for upload in files:
        try:
            kinds.append(check_upload(upload))
        except ValidationError as exc:
            raise Refused("bad_file", exc.messages[0]) from None
    review = SiteReview.objects.create(scheme=scheme, unit=unit, date=day, evaluators=evaluators.strip()[:300],
                                       observed=observed.strip(), created_by=acting_user)
    for upload, kind in zip(files, kinds, strict=True):
        SiteReviewFile.objects.create(review=review, file=upload, original_name=upload.name[:255], size=upload.size,
                                      kind=kind, uploaded_by=acting_user)
    audit(acting_user, "site_review.add", scheme=scheme, target=review,
          after={**fields_of(review), "files": [f.name for f in files]})
    return review


@transaction.atomic
def do_save_findings(round_, unit: Unit, *, findings: str, problems: str = "", suggestions: str = "",
                     acting_user) -> PanelFindings:
    """The panel's findings, problems and improvement suggestions for the project's evaluation report."""
    if not can_write_findings(acting_user, round_):
        raise NotAllowed("findings_writers", _("Only the sections that score this scheme write the panel's "
                                               "findings."))
    if round_.state == RoundState.CLOSED:
        raise Refused("round_closed", _("The round is closed."))
    if not round_.sheets.filter(unit=unit).exists():
        raise Refused("not_in_round", _("%(unit)s is not assessed in %(round)s."), unit=unit.name, round=round_.name)
    if not findings.strip():
        raise Refused("findings_required", _("Write the panel's findings."))
    before = PanelFindings.objects.filter(round=round_, unit=unit).first()
    written, _created = PanelFindings.objects.update_or_create(
        round=round_, unit=unit,
        defaults={"findings": findings.strip(), "problems": problems.strip(), "suggestions": suggestions.strip(),
                  "written_by": acting_user},
    )
    audit(acting_user, "findings.save", scheme=round_.scheme, target=written,
          before=fields_of(before) if before else None, after=fields_of(written))
    return written
