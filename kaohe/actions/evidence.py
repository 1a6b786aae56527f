"""Evidence files: only the types people attach (pdf, images, xlsx), checked by content, within a size."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "xlsx": (b"PK\x03\x04",),
}
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpg": "jpg", "jpeg": "jpg", "xlsx": "xlsx"}


def check_upload(upload) -> str:
    """The file's kind, or a ValidationError naming the file and why."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise ValidationError(_("%(name)s: only pdf, png, jpg and xlsx files are accepted") % {"name": name})
    if upload.size > MAX_BYTES:
        raise ValidationError(_("%(name)s: larger than %(limit)s MB") % {
                "name": name, "limit": MAX_BYTES // (1024 * 1024)})
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[kind]):
        raise ValidationError(_("%(name)s: the content is not a %(kind)s file") % {"name": name, "kind": kind})
    return kind
