"""Import files uploaded in the Desk: kept under a random name until confirmed, previewed by running the very
action the command line runs inside a transaction that is always rolled back, and written by that action on
confirmation — in the request for a small file, as a job for a large one. The file is read again at
confirmation, so rows that became wrong meanwhile (a sheet signed, a unit removed) are refused then.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.imports.errors import ImportRejected, RowError
from kaohe.imports.kinds import KINDS, ImportKind
from kaohe.imports.outcome import ImportOutcome
from kaohe.imports.reader import MAX_FILE_BYTES, read_table
from kaohe.models import ImportUpload, Job, Scheme
from kaohe.permissions import can_upload, can_use_upload
from kaohe.refusals import NotAllowed, Refused
from kaohe.scoring import AsOf

from .appraisal import do_import_measures, do_import_objectives, do_import_ratings
from .audit import audit
from .economy import do_import_economy
from .jobs import Outcome, do_start_job, run_job
from .ledger import do_import_ledger
from .units import do_import_groups, do_import_units
from .upload_cleanup import do_clear_stale_uploads

BACKGROUND_ROWS = 500  # a file with more data rows than this is written by a job, with a progress page
PREVIEW_ROWS = 200  # rows shown in the preview besides every row with a problem
SUFFIXES = {".csv", ".xlsx"}
FOLDER = "import-uploads"


def import_kind(code: str) -> ImportKind:
    kind = KINDS.get(code)
    if kind is None:
        raise Refused("unknown_import", _("There is no import called %(kind)s."), kind=code)
    return kind


def _check_may_upload(acting_user, kind: ImportKind) -> None:
    if not can_upload(acting_user, kind.code):
        raise NotAllowed("cannot_upload", _("Your roles do not import %(kind)s."), kind=kind.name)


def _check_options(kind: ImportKind, scheme: Scheme | None, month: int | None) -> None:
    if kind.needs_scheme and (scheme is None or scheme.method not in kind.methods):
        raise Refused("upload_scheme", _("Choose a scheme that takes %(kind)s."), kind=kind.name)
    if kind.needs_month and not (month and 1 <= month <= 12):
        raise Refused("upload_month", _("Choose the month the figures are for."))


@transaction.atomic
def do_upload_import_file(kind_code: str, uploaded, *, scheme: Scheme | None = None, month: int | None = None,
                          acting_user) -> ImportUpload:
    """Keep an uploaded file for its preview; nothing of the business data is touched yet."""
    kind = import_kind(kind_code)
    _check_may_upload(acting_user, kind)
    _check_options(kind, scheme, month)
    if uploaded is None:
        raise Refused("upload_missing", _("Choose a file to upload."))
    suffix = Path(uploaded.name or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise Refused("upload_not_table", _("Only CSV and .xlsx files are imported."))
    if uploaded.size > MAX_FILE_BYTES:
        raise Refused("upload_too_large", _("The file is larger than %(limit)s MB; split it into smaller files."),
                      limit=MAX_FILE_BYTES // (1024 * 1024))
    token = secrets.token_urlsafe(24)
    relative = f"{FOLDER}/{token}{suffix}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    upload = ImportUpload.objects.create(token=token, kind=kind.code, scheme=scheme if kind.needs_scheme else None,
                                         month=month if kind.needs_month else None, filename=uploaded.name[:255],
                                         path=relative, size=uploaded.size, uploaded_by=acting_user)
    audit(acting_user, "import.upload", scheme=upload.scheme, target=upload,
          after={"kind": kind.code, "file": upload.filename, "size": upload.size})
    do_clear_stale_uploads(owner=acting_user, acting_user=acting_user)  # the uploader's own abandoned files
    return upload


def upload_data(upload: ImportUpload) -> bytes:
    path = Path(settings.MEDIA_ROOT) / upload.path
    if not path.is_file():
        raise Refused("upload_gone", _("The uploaded file is no longer kept; upload it again."))
    return path.read_bytes()


def _run(upload: ImportUpload, data: bytes, acting_user) -> ImportOutcome:
    """The command line's action for this kind of file."""
    name, scheme = upload.filename, upload.scheme
    match upload.kind:
        case "ledger":
            return do_import_ledger(data, name, scheme, acting_user=acting_user)
        case "economy":
            return do_import_economy(data, name, scheme, AsOf(scheme.year, upload.month), acting_user=acting_user)
        case "units":
            return do_import_units(data, name, acting_user=acting_user)
        case "groups":
            return do_import_groups(data, name, acting_user=acting_user)
        case "ratings":
            return do_import_ratings(data, name, scheme, acting_user=acting_user)
        case "measures":
            return do_import_measures(data, name, scheme, acting_user=acting_user)
        case "objectives":
            return do_import_objectives(data, name, scheme, acting_user=acting_user)
    raise Refused("unknown_import", _("There is no import called %(kind)s."), kind=upload.kind)


@dataclass
class PreviewRow:
    line: int
    cells: list[tuple[str, str, list[str]]]  # (column, value, problems) per column
    problems: list[str]  # the row's problems that name no column of it
    bad: bool


@dataclass
class Preview:
    columns: list[str]
    rows: list[PreviewRow] = field(default_factory=list)
    total: int = 0  # data rows in the file
    errors: list[RowError] = field(default_factory=list)
    general: list[str] = field(default_factory=list)  # problems of the file, not of one row
    outcome: ImportOutcome | None = None  # what confirming would do, when nothing is wrong

    @property
    def row_problems(self) -> bool:
        """Some row has a problem that names none of its columns (shown in a column of its own)."""
        return any(row.problems for row in self.rows)


class _RollBack(Exception):
    def __init__(self, outcome: ImportOutcome) -> None:
        self.outcome = outcome


def dry_run(upload: ImportUpload, data: bytes, acting_user) -> ImportOutcome:
    """What the import would do, computed by doing it and rolling it back: the same checks, the same locks."""
    try:
        with transaction.atomic():
            raise _RollBack(_run(upload, data, acting_user))
    except _RollBack as done:
        return done.outcome


def preview_upload(upload: ImportUpload, *, acting_user) -> Preview:
    """The parsed rows with every problem at its row and column, or what confirming would write."""
    if not can_use_upload(acting_user, upload):
        raise NotAllowed("not_your_upload", _("Only who uploaded a file previews and confirms it."))
    kind = import_kind(upload.kind)
    preview = Preview(columns=kind.columns)
    if upload.imported_at is not None:
        return preview  # written, and its copy removed: the page shows what was imported
    data = upload_data(upload)
    try:
        table = read_table(data, upload.filename, kind.required, kind.optional)
    except ImportRejected as rejected:
        table = None
        preview.errors = rejected.errors
    if table is not None:
        preview.total = len(table.rows)
        try:
            preview.outcome = dry_run(upload, data, acting_user)
        except ImportRejected as rejected:
            preview.errors = rejected.errors
        except NotAllowed:
            raise
        except Refused as refused:
            preview.general.append(str(refused))
    return _place_errors(preview, table)


def _place_errors(preview: Preview, table) -> Preview:
    by_line: dict[int, list[RowError]] = {}
    for error in preview.errors:
        by_line.setdefault(error.line, []).append(error)
    lines = {line for line, _cells in table.rows} if table is not None else set()
    preview.general += [str(e) for e in preview.errors if e.line not in lines]
    if table is None:
        return preview
    for index, (line, cells) in enumerate(table.rows):
        found = by_line.get(line, [])
        if index >= PREVIEW_ROWS and not found:
            continue
        shown = [(c, cells.get(c, ""), [e.message for e in found if e.column == c]) for c in preview.columns]
        elsewhere = [e.message for e in found if e.column not in preview.columns]
        preview.rows.append(PreviewRow(line, shown, elsewhere, bool(found)))
    return preview


@dataclass(frozen=True)
class Confirmed:
    upload: ImportUpload
    job: Job | None = None  # a large file: the job that writes it
    outcome: ImportOutcome | None = None  # a small file: what was written


def _lock_unconfirmed(upload: ImportUpload, acting_user) -> ImportUpload:
    if not can_use_upload(acting_user, upload):
        raise NotAllowed("not_your_upload", _("Only who uploaded a file previews and confirms it."))
    upload = ImportUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.imported_at is not None or (upload.job_id and upload.job.state != Job.FAILED):
        raise Refused("upload_confirmed", _("This file was confirmed already."))
    return upload


def do_confirm_upload(upload: ImportUpload, *, acting_user) -> Confirmed:
    """Write every row of the file or none, through the command line's action; re-validated now."""
    kind = import_kind(upload.kind)
    _check_may_upload(acting_user, kind)
    data = upload_data(upload)
    rows = len(read_table(data, upload.filename, kind.required, kind.optional).rows)
    with transaction.atomic():
        upload = _lock_unconfirmed(upload, acting_user)
        if rows > BACKGROUND_ROWS:
            job = do_start_job("import", run_import_job, scheme=upload.scheme, total=rows, acting_user=acting_user,
                               parameters={"upload": upload.pk, "kind": upload.kind, "file": upload.filename,
                                           "rows": rows})
            ImportUpload.objects.filter(pk=upload.pk).update(job=job)
            return Confirmed(upload, job=job)
        outcome = _run(upload, data, acting_user)
        _mark_imported(upload, outcome)
    return Confirmed(upload, outcome=outcome)


def _mark_imported(upload: ImportUpload, outcome: ImportOutcome) -> None:
    ImportUpload.objects.filter(pk=upload.pk).update(imported_at=timezone.now(), outcome=outcome.summary())
    path = Path(settings.MEDIA_ROOT) / upload.path
    transaction.on_commit(lambda: path.unlink(missing_ok=True))  # written into the database: the copy can go


def run_import_job(pk: int) -> str:
    return run_job(pk, _import)


def _import(job: Job, progress) -> Outcome:
    upload = ImportUpload.objects.select_related("scheme").get(pk=job.parameters["upload"])
    data = upload_data(upload)
    progress(0, job.total)
    with transaction.atomic():
        outcome = _run(upload, data, job.requested_by)
        _mark_imported(upload, outcome)
    return Outcome(outcome.summary(), {"rows": outcome.rows, "batch": outcome.batch_id, "created": outcome.created,
                                       "updated": outcome.updated, "unchanged": outcome.unchanged})
