"""Printing from the Desk: the format editor with its live preview, a subject's PDF, and round batches."""

from __future__ import annotations

from urllib.parse import quote

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from kaohe.actions.print_batches import do_retry_print_batch, do_start_print_batch, finished_file
from kaohe.actions.printing import do_print, do_save_print_format, per_unit
from kaohe.doctype.printing import Subject
from kaohe.models import PrintBatch, PrintFormat, Round
from kaohe.permissions import can_edit_print_format, can_follow_print_batch
from kaohe.printing.documents import documents_for
from kaohe.printing.invitations import specimen_documents
from kaohe.printing.pdf import render_pdf
from kaohe.printing.render import current_format, current_formats, page_html
from kaohe.printing.sandbox import TemplateProblem
from kaohe.refusals import NotAllowed, Refused

# The preview shows what an administrator's template produced: styles inline, images as data: URIs,
# no script at all, framed only by the editor on this site.
PREVIEW_CSP = {"default-src": [NONE], "style-src": [UNSAFE_INLINE], "img-src": ["data:"], "font-src": [SELF],
               "script-src": [NONE], "frame-ancestors": [SELF], "form-action": [NONE], "base-uri": [NONE]}
FIELDS = ["name", "subject", "template", "css", "page_size", "orientation", "letterhead", "letterhead_image"]


def _admin_only(user) -> None:
    if not can_edit_print_format(user):
        raise PermissionDenied


@login_required
def format_list(request):
    _admin_only(request.user)
    return render(request, "kaohe/print_formats.html", {
        "formats": current_formats(),
        "batches": PrintBatch.objects.select_related("format", "round")[:20],
    })


def _rounds():
    return list(Round.objects.select_related("scheme").order_by("-opened_at")[:50])


@login_required
def format_editor(request, code: str | None = None):
    """GET: the editor; POST: save what is in the form as the format's next version."""
    _admin_only(request.user)
    fmt = current_format(code) if code else None
    if code and fmt is None:
        raise Http404
    if request.method == "POST":
        new_code = code or (request.POST.get("code") or "").strip()
        fields = {name: request.POST.get(name, "") for name in FIELDS}
        fields["enabled"] = request.POST.get("enabled") == "on"
        try:
            if not new_code or not new_code.replace("_", "").replace("-", "").isalnum() or not new_code.isascii():
                raise Refused("print_code_bad", _("A format's code is letters, digits, - and _."))
            saved = do_save_print_format(new_code, acting_user=request.user, **fields)
        except Refused as refused:
            messages.error(request, str(refused))
            return render(request, "kaohe/print_editor.html", _editor_context(request, fmt, request.POST), status=409)
        messages.success(request, _("Saved as version %(n)s.") % {"n": saved.version})
        return redirect("kaohe:print_format", saved.code)
    return render(request, "kaohe/print_editor.html", _editor_context(request, fmt, None))


def _editor_context(request, fmt, posted) -> dict:
    rounds = _rounds()
    chosen = request.GET.get("round") or (posted or {}).get("round")
    round_ = next((r for r in rounds if str(r.pk) == str(chosen)), rounds[0] if rounds else None)
    units = list(round_.sheets.values_list("unit__name", flat=True).distinct().order_by("unit__name")) if round_ else []
    sections = (list(round_.sheets.values_list("section__code", "section__name").distinct().order_by("section__code"))
                if round_ else [])
    values = {name: (posted.get(name, "") if posted else getattr(fmt, name, "")) for name in FIELDS}
    if not fmt and not posted:
        values.update(page_size="A4", orientation="portrait", subject=Subject.UNIT_RESULT)
    return {"format": fmt, "values": values, "enabled": fmt.enabled if fmt else True,
            "versions": PrintFormat.objects.filter(code=fmt.code) if fmt else [],
            "subjects": Subject.choices, "page_sizes": PrintFormat.PAGE_SIZES, "orientations": PrintFormat.ORIENTATIONS,
            "rounds": rounds, "round": round_, "units": units, "sections": sections}


def _draft_format(request) -> PrintFormat:
    """The format as typed in the editor, unsaved: the preview and the proof PDF show it before it is saved."""
    values = {name: request.POST.get(name, "") for name in FIELDS}
    code = request.POST.get("code") or "preview"
    if values["subject"] not in Subject.values:
        values["subject"] = Subject.UNIT_RESULT
    if values["page_size"] not in dict(PrintFormat.PAGE_SIZES):
        values["page_size"] = "A4"
    if values["orientation"] not in dict(PrintFormat.ORIENTATIONS):
        values["orientation"] = "portrait"
    return PrintFormat(code=code, version=0, **values)


def _preview_document(request, fmt):
    round_ = Round.objects.filter(pk=request.POST.get("round") or 0).first()
    if round_ is None:
        return None
    unit = request.POST.get("unit") or None
    section = request.POST.get("section") or None
    if fmt.subject == Subject.SURVEY_INVITATION:
        found = specimen_documents(round_)
    else:
        found = documents_for(fmt.subject, round_, unit=unit if fmt.subject != Subject.ROUND_RANKING else None,
                              section=section if fmt.subject == Subject.SECTION_SHEET else None)
    return found[0] if found else None


def render_to_problem(message: str, line: int | None) -> str:
    return render_to_string("kaohe/print_problem.html", {"message": message, "line": line})


@login_required
@require_POST
@xframe_options_sameorigin
@csp_replace(PREVIEW_CSP)
def preview(request):
    """The editor's live preview: the typed template over the chosen subject, or the error with its line."""
    _admin_only(request.user)
    fmt = _draft_format(request)
    document = _preview_document(request, fmt)
    if document is None:
        return HttpResponse(render_to_problem(_("Choose a round (and a unit or section) that has something to print."),
                                              None))
    try:
        html, _context = page_html(fmt, document, request.build_absolute_uri("/").rstrip("/"))
    except TemplateProblem as problem:
        return HttpResponse(render_to_problem(problem.message, problem.line))
    return HttpResponse(html)


@login_required
@require_POST
def proof_pdf(request):
    """The typed format as a PDF of the chosen subject, before saving (nothing is recorded: it is a proof)."""
    _admin_only(request.user)
    fmt = _draft_format(request)
    document = _preview_document(request, fmt)
    if document is None:
        messages.error(request, _("Choose a round (and a unit or section) that has something to print."))
        return redirect("kaohe:print_formats")
    try:
        html, _context = page_html(fmt, document, request.build_absolute_uri("/").rstrip("/"))
    except TemplateProblem as problem:
        return HttpResponse(render_to_problem(problem.message, problem.line), status=422)
    return HttpResponse(render_pdf(html), content_type="application/pdf")


@login_required
def print_subject(request, code: str, pk: int):
    """A subject's PDF from the Print menu: one unit, one section's sheet, or the ranking."""
    fmt = current_format(code)
    round_ = get_object_or_404(Round, pk=pk)
    if fmt is None:
        raise Http404
    unit = request.GET.get("unit") or None
    section = request.GET.get("section") or None
    if per_unit(fmt) and not unit and not (fmt.subject == Subject.SECTION_SHEET and section):
        raise Http404  # a whole round's documents go through a batch
    try:
        printed = do_print(fmt, round_, acting_user=request.user, unit=unit, section=section,
                           base=request.build_absolute_uri("/").rstrip("/"))
    except NotAllowed:
        raise
    except (Refused, TemplateProblem) as refused:
        messages.error(request, str(refused))
        back = request.META.get("HTTP_REFERER", "")
        safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure())
        return redirect(back if back and safe else "kaohe:home")
    name = f"{fmt.code}-{round_.pk}{'-' + unit if unit else ''}{'-' + section if section else ''}.pdf"
    response = HttpResponse(printed.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_POST
def start_batch(request, code: str, pk: int):
    fmt = current_format(code)
    round_ = get_object_or_404(Round, pk=pk)
    if fmt is None:
        raise Http404
    try:
        batch = do_start_print_batch(fmt, round_, acting_user=request.user)
    except NotAllowed:
        raise
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect("kaohe:ranking", round_.pk)
    return redirect("kaohe:print_batch", batch.pk)


def _own_batch(request, pk: int) -> PrintBatch:
    batch = get_object_or_404(PrintBatch.objects.select_related("format", "round"), pk=pk)
    if not can_follow_print_batch(request.user, batch):
        raise PermissionDenied
    return batch


@login_required
def batch_page(request, pk: int):
    batch = _own_batch(request, pk)
    stalled = batch.stalled()
    return render(request, "kaohe/print_batch.html", {
        "batch": batch, "ready": finished_file(batch) is not None, "stalled": stalled,
        "working": batch.state in {PrintBatch.QUEUED, PrintBatch.RUNNING} and not stalled,
    })


@login_required
def batch_file(request, pk: int):
    batch = _own_batch(request, pk)
    path = finished_file(batch)
    if path is None:
        raise Http404  # nothing half-written is ever offered
    return FileResponse(path.open("rb"), content_type="application/pdf", as_attachment=True,
                        filename=f"{batch.format.code}-{batch.round_id}-batch-{batch.pk}.pdf")


@login_required
@require_POST
def retry_batch(request, pk: int):
    batch = _own_batch(request, pk)
    try:
        do_retry_print_batch(batch, acting_user=request.user)
    except NotAllowed:
        raise
    except Refused as refused:
        messages.error(request, str(refused))
    return redirect("kaohe:print_batch", batch.pk)
