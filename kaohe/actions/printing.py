"""Print formats are edited as new versions; every printed document is recorded with the version it used."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from jinja2 import TemplateSyntaxError

from kaohe.doctype.printing import PER_UNIT, Subject
from kaohe.models import PrintFormat, PrintRecord, Round, Section, Unit
from kaohe.permissions import can_edit_print_format, can_print
from kaohe.printing.documents import documents_for
from kaohe.printing.render import Printed, current_format, print_documents
from kaohe.printing.sandbox import ENV
from kaohe.printing.shipped import shipped_formats
from kaohe.refusals import NotAllowed, Refused

from .audit import audit, fields_of

EDITABLE = ["name", "subject", "template", "css", "page_size", "orientation", "letterhead", "letterhead_image",
            "enabled"]


def check_template(source: str) -> None:
    try:
        ENV.parse(source)
    except TemplateSyntaxError as error:
        raise Refused("print_template_syntax", _("The template does not compile: line %(line)s: %(message)s"),
                      line=error.lineno, message=error.message) from None


@transaction.atomic
def do_save_print_format(code: str, *, acting_user, **fields) -> PrintFormat:
    """Save an edit as the next version of ``code`` (a new code starts at version 1); older versions stay."""
    if not can_edit_print_format(acting_user):
        raise NotAllowed("print_format_not_allowed", _("Only an administrator edits print formats."))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not a print format field: {sorted(unknown)}")
    # Lock the newest version so that two saves at once make versions n+1 and n+2, never two n+1.
    previous = PrintFormat.objects.select_for_update().filter(code=code).order_by("-version").first()
    values = {name: getattr(previous, name) for name in EDITABLE} if previous else {}
    values.update(fields)
    if values.get("subject") not in Subject.values:
        raise Refused("print_subject_unknown", _("Choose what the format prints."))
    if not (values.get("name") or "").strip():
        raise Refused("print_name_missing", _("A print format needs a name."))
    check_template(values.get("template") or "")
    made = PrintFormat(code=code, version=(previous.version + 1) if previous else 1,
                       created_by=acting_user if getattr(acting_user, "pk", None) else None, **values)
    made.full_clean(exclude=["created_by"])
    made.save()
    audit(acting_user, "print_format.save", target=made,
          before=fields_of(previous, EDITABLE) if previous else None, after=fields_of(made, [*EDITABLE, "version"]))
    return made


@transaction.atomic
def do_install_shipped_formats(*, acting_user=None) -> list[PrintFormat]:
    """Version 1 of each shipped format whose code is not there yet; an edited format is left as it is."""
    made = []
    for fields in shipped_formats():
        if current_format(fields["code"]) is None:
            made.append(PrintFormat.objects.create(version=1, enabled=True, **fields))
    if made:
        audit(acting_user, "print_format.install", after=[f.code for f in made])
    return made


def resolve_subject(fmt: PrintFormat, round_: Round, unit: str | None, section: str | None):
    """The unit and section named, refused by name when the round has no such thing."""
    unit_obj = section_obj = None
    if unit:
        unit_obj = Unit.objects.filter(name=unit, sheets__round=round_).distinct().first()
        if unit_obj is None:
            raise Refused("print_unit_unknown", _("The round has no unit %(unit)s."), unit=unit)
    if section:
        section_obj = Section.objects.filter(code=section).first()
        if section_obj is None:
            raise Refused("print_section_unknown", _("There is no section %(section)s."), section=section)
    return unit_obj, section_obj


def check_may_print(acting_user, fmt: PrintFormat, round_: Round, unit: str | None, section: str | None) -> None:
    unit_obj, section_obj = resolve_subject(fmt, round_, unit, section)
    if acting_user is None:
        return  # the command line
    if not fmt.enabled:
        raise Refused("print_format_disabled", _("The print format %(code)s is not enabled."), code=fmt.code)
    if not can_print(acting_user, round_, fmt.subject, unit=unit_obj, section=section_obj):
        raise NotAllowed("print_not_allowed", _("You may not print this."))


def do_print(fmt: PrintFormat, round_: Round, *, acting_user, unit: str | None = None, section: str | None = None,
             base: str | None = None, progress: Callable[[int], None] | None = None,
             documents=None) -> Printed:
    """Render the format for the round (one unit, one section, or all of them) and record what was printed.

    The PDF is made outside the transaction (it takes seconds); the records of what was printed, with the
    format version and each document's verification code, are written once it exists.
    """
    check_may_print(acting_user, fmt, round_, unit, section)
    if documents is None:
        documents = documents_for(fmt.subject, round_, unit=unit, section=section)
    if not documents:
        raise Refused("print_nothing", _("There is nothing to print for this choice."))
    printed = print_documents(fmt, documents, base=base, progress=progress)
    with transaction.atomic():
        user = acting_user if getattr(acting_user, "pk", None) else None
        PrintRecord.objects.bulk_create([
            PrintRecord(format=fmt, round=round_, subject=document.subject[:200], signature=document.signature,
                        code=context["doc"]["code"], content_digest=context["doc"]["content_digest"],
                        draft=context["doc"]["draft"], printed_by=user)
            for document, context in printed.stamped
        ])
        audit(acting_user, "print", scheme=round_.scheme, target=f"{fmt.code} v{fmt.version} · {round_}",
              after={"documents": len(printed.stamped), "unit": unit, "section": section,
                     "codes": [c["doc"]["code"] for _d, c in printed.stamped][:50]})
    return printed


def per_unit(fmt: PrintFormat) -> bool:
    return fmt.subject in PER_UNIT
