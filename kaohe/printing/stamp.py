"""What makes a printed page checkable: a short verification code and a QR code to the signature check.

The code is derived from the format version, the document's data and the signature behind it, so two
papers that show the same signed content in the same layout carry the same code, and any difference
gives another. The QR code holds the address of the signature verification page for exactly the
signature the paper rests on, with the code; scanning it tells whether what was signed still holds. A
draft has nothing signed behind it: its QR code points at the Desk page of its subject.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.utils import timezone

from kaohe.workflow.signing import digest

from .context import Document, person_name


def verification_code(format_pk: int, content_digest: str, signature_digest: str) -> str:
    raw = hashlib.sha256(f"{format_pk}:{content_digest}:{signature_digest}".encode()).digest()
    text = base64.b32encode(raw).decode()[:10]
    return f"{text[:5]}-{text[5:]}"


def site_url() -> str:
    return settings.KAOHE_SITE_URL.rstrip("/")


def verify_url(base: str, signature_pk: int, code: str) -> str:
    return f"{base}/signatures/{signature_pk}/verify/?{urlencode({'code': code})}"


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").png_data_uri(scale=4, border=2)


def stamp(document: Document, fmt, base: str | None = None) -> dict:
    """The template's context: the document's data plus ``doc``: title, code, url, qr (a data: URI), draft,
    issued (the signature's date), signer, on_behalf_of, format {code, version, name}, letterhead,
    letterhead_image, content_digest, signature_digest."""
    base = base or site_url()
    content_digest = digest(document.data)
    signature = document.signature
    code = verification_code(fmt.pk, content_digest, signature.digest if signature else "")
    url = verify_url(base, signature.pk, code) if signature else f"{base}{document.path}"
    issued = timezone.localdate(signature.signed_at).isoformat() if signature else ""
    doc = {
        "title": fmt.name, "code": code, "url": url, "qr": qr_data_uri(url), "draft": signature is None,
        "issued": issued, "signer": person_name(signature.user) if signature else "",
        "on_behalf_of": person_name(signature.on_behalf_of) if signature and signature.on_behalf_of_id else "",
        "format": {"code": fmt.code, "version": fmt.version, "name": fmt.name},
        "letterhead": fmt.letterhead, "letterhead_image": fmt.letterhead_image,
        "content_digest": content_digest, "signature_digest": signature.digest if signature else "",
    }
    return {**document.data, "doc": doc}
