"""Which documents a format prints: the context builder of its subject, for the round, one unit or section."""

from __future__ import annotations

from kaohe.doctype.printing import Subject
from kaohe.models import Round

from .context import Document, appraisal_documents, ranking_document, sheet_documents, unit_documents
from .evaluation import evaluation_documents


def documents_for(subject: str, round_: Round, *, unit: str | None = None,
                  section: str | None = None) -> list[Document]:
    """Every document a format of ``subject`` prints for the round, narrowed to one unit or section."""
    names = [unit] if unit else None
    if subject == Subject.UNIT_RESULT:
        return unit_documents(round_, names)
    if subject == Subject.APPRAISAL_FORM:
        return appraisal_documents(round_, names)
    if subject == Subject.EVALUATION_REPORT:
        return evaluation_documents(round_, names)
    if subject == Subject.SECTION_SHEET:
        return sheet_documents(round_, section, unit)
    if subject == Subject.SURVEY_INVITATION:
        return []  # printed with fresh tokens from the survey's page (kaohe.printing.invitations)
    return [ranking_document(round_)]
