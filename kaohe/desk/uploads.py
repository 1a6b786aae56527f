"""Importing files from the Desk: a page per import the command line offers (template, upload), the preview of
an uploaded file with every problem at its row and column, and the confirmation
(a large file's job has its page in ``kaohe.desk.jobs``)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.actions.uploads import (
    BACKGROUND_ROWS,
    do_confirm_upload,
    do_upload_import_file,
    preview_upload,
)
from kaohe.imports.errors import ImportRejected
from kaohe.imports.kinds import KINDS
from kaohe.models import ImportUpload, Job, Scheme
from kaohe.permissions import can_upload, can_use_upload
from kaohe.refusals import NotAllowed, Refused
from kaohe.services.import_templates import template_workbook

from .common import posted_int

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind(request, code: str):
    kind = KINDS.get(code)
    if kind is None:
        raise Http404
    if not can_upload(request.user, kind.code):
        raise PermissionDenied
    return kind


def _schemes(kind):
    return list(Scheme.objects.filter(method__in=list(kind.methods)).order_by("-year", "code")) if kind.methods else []


@login_required
def import_list(request):
    kinds = [kind for kind in KINDS.values() if can_upload(request.user, kind.code)]
    if not kinds:
        raise PermissionDenied
    recent = ImportUpload.objects.filter(uploaded_by=request.user).select_related("scheme", "job")[:20]
    return render(request, "kaohe/imports.html", {"kinds": kinds, "recent": recent})


@login_required
def import_page(request, kind: str):
    """GET: the template and the upload form; POST: keep the file and show its preview."""
    found = _kind(request, kind)
    schemes = _schemes(found)
    chosen = request.POST.get("scheme") or request.GET.get("scheme")
    scheme = next((s for s in schemes if s.code == chosen), schemes[0] if schemes else None)
    if request.method == "POST":
        try:
            upload = do_upload_import_file(found.code, request.FILES.get("file"), scheme=scheme,
                                           month=posted_int(request, "month"), acting_user=request.user)
        except NotAllowed:
            raise
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            return redirect("kaohe:import_preview", upload.token)
    return render(request, "kaohe/import_upload.html", {
        "kind": found, "schemes": schemes, "scheme": scheme, "months": range(1, 13),
        "threshold": BACKGROUND_ROWS,
    }, status=409 if request.method == "POST" else 200)


@login_required
def template_file(request, kind: str):
    found = _kind(request, kind)
    schemes = _schemes(found)
    scheme = next((s for s in schemes if s.code == request.GET.get("scheme")), schemes[0] if schemes else None)
    if found.needs_scheme and scheme is None:
        raise Http404
    name = f"{found.code}{'-' + scheme.code if scheme and found.needs_scheme else ''}-template.xlsx"
    response = HttpResponse(template_workbook(found, scheme if found.needs_scheme else None, request.user),
                            content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _own_upload(request, token: str) -> ImportUpload:
    upload = get_object_or_404(ImportUpload.objects.select_related("scheme", "job"), token=token)
    if not can_use_upload(request.user, upload):
        raise Http404  # another person's upload is not shown to exist
    return upload


def _preview(request, upload: ImportUpload, status: int = 200):
    try:
        preview = preview_upload(upload, acting_user=request.user)
    except NotAllowed:
        raise
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect("kaohe:import_page", upload.kind)
    return render(request, "kaohe/import_preview.html", {
        "upload": upload, "kind": KINDS[upload.kind], "preview": preview, "large": preview.total > BACKGROUND_ROWS,
        "confirmable": preview.outcome is not None and upload.imported_at is None
        and not (upload.job_id and upload.job.state != Job.FAILED),
    }, status=status)


@login_required
def preview_page(request, token: str):
    return _preview(request, _own_upload(request, token))


@login_required
@require_POST
def confirm_upload(request, token: str):
    upload = _own_upload(request, token)
    try:
        confirmed = do_confirm_upload(upload, acting_user=request.user)
    except NotAllowed:
        raise
    except ImportRejected:  # the data changed since the preview: show what is wrong now
        messages.error(request, _("Nothing was imported: the file no longer passes the checks."))
        return _preview(request, upload, status=409)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect("kaohe:import_preview", upload.token)
    if confirmed.job is not None:
        return redirect("kaohe:job", confirmed.job.pk)
    messages.success(request, confirmed.outcome.summary())
    return redirect("kaohe:import_preview", upload.token)
