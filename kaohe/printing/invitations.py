"""Invitation sheets of a survey: one page per invited respondent, with the answer link and its QR code.

The tokens exist in clear only while the sheets are laid out, right after they were made; the database keeps
their hashes. The editor's preview uses a specimen that answers nothing.
"""

from __future__ import annotations

from kaohe.doctype.printing import Subject
from kaohe.models import Round, Survey

from .context import Document
from .stamp import qr_data_uri, site_url

SPECIMEN = "SPECIMEN"


def answer_url(base: str, token: str) -> str:
    return f"{base}/s/{token}/"


def invitation_document(survey: Survey, issued, group_names: dict[str, str], base: str | None = None) -> Document:
    """``issued``: (group, unit, token) of each invitation, in the order they are printed."""
    base = (base or site_url()).rstrip("/")
    invitations = []
    for item in issued:
        url = answer_url(base, item.token)
        invitations.append({"group": item.group, "group_name": group_names.get(item.group, item.group),
                            "unit": item.unit, "url": url, "qr": qr_data_uri(url)})
    data = {"survey": {"name": survey.name, "questionnaire": survey.questionnaire.name,
                       "round": survey.round.name, "closes": survey.closes.isoformat() if survey.closes else ""},
            "invitations": invitations}
    return Document(Subject.SURVEY_INVITATION, data, None, f"/surveys/{survey.pk}/")


class _Specimen:
    def __init__(self, group: str, unit: str) -> None:
        self.group, self.unit, self.token = group, unit, SPECIMEN


def specimen_documents(round_: Round) -> list[Document]:
    """What the editor previews: the round's newest survey with one specimen invitation."""
    survey = Survey.objects.filter(round=round_).select_related("questionnaire", "round", "source").first()
    if survey is None:
        return []
    groups = dict(survey.source.groups.values_list("code", "name")) or {"all": "受访者"}
    group = next(iter(groups))
    unit = round_.sheets.values_list("unit__name", flat=True).first() or "—"
    return [invitation_document(survey, [_Specimen(group, unit)], groups)]
