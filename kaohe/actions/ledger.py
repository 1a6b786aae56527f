"""Every write to the ledger: one row from the Desk, a reversal, or a whole file. Rows are never changed or
deleted; a correction is a reversing row that points at the original.

Each path checks the acting user's section, the rows themselves (the importer's validator, whatever
the interface) and the locks of signed sheets, then writes, audits and bumps the sheets it touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.doctype.ledger import entry_label, row_identities
from kaohe.imports.errors import ImportRejected, RowError
from kaohe.imports.fields import hex_fingerprint
from kaohe.imports.ledger import LedgerRow, LedgerValidator, validate_ledger
from kaohe.imports.outcome import ImportOutcome
from kaohe.models import Evidence, ImportBatch, LedgerEntry, Rule, Scheme, ScoreSheet
from kaohe.permissions import can_record, can_record_anything
from kaohe.refusals import NotAllowed, Refused
from kaohe.scoring.batch import collector_paused
from kaohe.workflow.states import RoundState

from .aggregates import absorb_ledger_rows
from .audit import audit
from .evidence import check_upload
from .locks import LockBook

ENTRY_COLUMNS = ("unit", "rule", "quantity", "points", "date", "note")
INSERT_CHUNK = 5000


class EntryRejected(Refused):
    """One or more rows are wrong; ``errors`` names each (line, column, value, why). Nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("rows_rejected", "; ".join(str(e) for e in errors))


def _sections(scheme, rule_ids: Iterable[int] | None = None) -> dict[int, int | None]:
    rules = Rule.objects.filter(scheme=scheme)
    if rule_ids is not None:
        rules = rules.filter(id__in=list(rule_ids))
    return dict(rules.values_list("id", "indicator__section_id"))


def section_problems(rows: Iterable[LedgerRow], sections: dict, acting_user) -> list[RowError]:
    """Rows under a rule of a section the acting user does not record for."""
    barred = {rule_id for rule_id, section in sections.items() if not can_record(acting_user, section)}
    if not barred:
        return []
    return [RowError(row.line, "rule", row.key[1], "other_section", str(_("this rule belongs to another section")))
            for row in rows if row.rule_id in barred]


def lock_problems(scheme, rows: Iterable[LedgerRow], sections: dict, units: list[int] | None = None, *,
                  book: LockBook | None = None) -> list[RowError]:
    """Rows that would change what a submitted or signed sheet covers; ``units``: the rows' units, when few;
    ``book``: the locks, when the caller has read them already."""
    book = book or LockBook(scheme, units)
    if book.empty:
        return []
    found = []
    for row in rows:
        refusal = book.for_row(row.unit_id, sections[row.rule_id], row.date)
        if refusal is not None:
            found.append(RowError(row.line, "unit", row.key[0], refusal.code, str(refusal)))
    return found


def _bump_sheets(scheme, pairs: set[tuple[int, int | None]]) -> None:
    """Sheets whose content changed get a new version, so an open grid page sees the conflict."""
    by_section: dict[int, set[int]] = {}
    for unit_id, section_id in pairs:
        if section_id is not None:
            by_section.setdefault(section_id, set()).add(unit_id)
    for section_id, unit_ids in by_section.items():
        ScoreSheet.objects.filter(round__scheme=scheme, section_id=section_id, unit_id__in=unit_ids) \
            .exclude(round__state=RoundState.CLOSED).update(version=F("version") + 1, updated_at=timezone.now())


@transaction.atomic
def do_record_entry(scheme, *, cells: dict[str, str], files=(), acting_user) -> LedgerEntry:
    """One ledger row, validated exactly as an imported row is, with its evidence files."""
    errors: list[RowError] = []
    given = {k: cells.get(k, "") for k in ENTRY_COLUMNS}
    binary = [RowError(1, k, v, "nul_character", _("contains a NUL character, which is not text"))
              for k, v in given.items() if "\x00" in (v or "")]
    if binary:  # refused before any lookup: PostgreSQL cannot even compare text holding a NUL byte
        raise EntryRejected(binary)
    # One row: look up its unit and rule only, not every unit and rule as an import does.
    validator = LedgerValidator(scheme, unit=given["unit"], rule=given["rule"])
    row = validator.row(1, given, errors)
    if row is None and not any(e.column == "rule" for e in errors):
        rule = Rule.objects.filter(scheme=scheme, code=cells.get("rule", "")).values_list(
            "indicator__section_id", flat=True).first()
        if not can_record(acting_user, rule):
            raise NotAllowed("other_section", _("This rule belongs to another section."))
    kinds = []
    for upload in files:
        try:
            kinds.append(check_upload(upload))
        except ValidationError as exc:
            errors.append(RowError(1, "evidence", upload.name, "bad_file", exc.messages[0]))
    if row is not None:
        sections = validator.sections()
        if section_problems([row], sections, acting_user):
            raise NotAllowed("other_section", _("This rule belongs to another section."))
        book = LockBook(scheme, [row.unit_id])
        locked = lock_problems(scheme, [row], sections, book=book)
        if locked:
            raise Refused(locked[0].code, locked[0].message)
    if errors:
        raise EntryRejected(errors)
    entry = LedgerEntry.objects.create(scheme=scheme, unit_id=row.unit_id, rule_id=row.rule_id,
                                       quantity=row.quantity, points=row.points, date=row.date, note=row.note,
                                       created_by=acting_user)
    for upload, kind in zip(files, kinds, strict=True):
        Evidence.objects.create(entry=entry, file=upload, original_name=upload.name[:255], size=upload.size,
                                kind=kind, uploaded_by=acting_user)
    absorb_ledger_rows(scheme, [(row.unit_id, row.rule_id, row.date, row.quantity, row.points)], entry.pk)
    # The unit's name and the rule's code are the ones just looked up: naming the row needs no query.
    audit(acting_user, "ledger.add", scheme=scheme, target=entry_label(row.key[0], row.key[1], entry.quantity,
                                                                       entry.date),
          after={**{c: cells.get(c, "") for c in ENTRY_COLUMNS}, "id": entry.pk, "evidence": len(kinds)})
    if book.rounds:  # sheets belong to running rounds: without one there is nothing to bump
        _bump_sheets(scheme, {(row.unit_id, sections[row.rule_id])})
    return entry


@transaction.atomic
def do_reverse_entry(entry: LedgerEntry, *, reason: str, acting_user) -> LedgerEntry:
    """Record the row that cancels ``entry``; both stay in the ledger for the record."""
    # Lock the row alone: PostgreSQL refuses FOR UPDATE over the outer join a nullable indicator needs.
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    section = entry.rule.indicator.section_id if entry.rule.indicator else None
    if not can_record(acting_user, section):
        raise NotAllowed("other_section", _("This rule belongs to another section."))
    if not reason.strip():
        raise Refused("reason_required", _("A reversal needs a reason."))
    if entry.reverses_id is not None:
        raise Refused("reversal_of_reversal", _("A reversal cannot itself be reversed; record the row again "
                                                "instead."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise Refused("already_reversed", _("This row is already reversed."))
    refusal = LockBook(entry.scheme).for_row(entry.unit_id, section, entry.date)
    if refusal is not None:
        raise refusal
    reversal = LedgerEntry.objects.create(
        scheme=entry.scheme, unit=entry.unit, rule=entry.rule, quantity=-entry.quantity,
        points=-entry.points if entry.points is not None else None, date=entry.date, note=reason.strip(),
        reverses=entry, created_by=acting_user,
    )
    absorb_ledger_rows(entry.scheme, [(entry.unit_id, entry.rule_id, reversal.date, reversal.quantity,
                                       reversal.points)], reversal.pk)
    audit(acting_user, "ledger.reverse", scheme=entry.scheme, target=reversal,
          before={"id": entry.pk}, after={"id": reversal.pk, "reason": reversal.note})
    _bump_sheets(entry.scheme, {(entry.unit_id, section)})
    return reversal


class _NothingNew(Exception):
    """Every row was written meanwhile by a concurrent import of the same rows; roll this one back."""


@collector_paused()  # a large file makes a few hundred thousand short-lived objects, none in a cycle
def do_import_ledger(data: bytes, filename: str, scheme, *, acting_user=None) -> ImportOutcome:
    """A whole file, all rows or none. Rows already in the ledger (by their identity: unit, rule, date,
    quantity, points, note) are not written again, whatever file or order they come in."""
    if not can_record_anything(acting_user):
        raise NotAllowed("cannot_record", _("Only section staff and administrators record ledger rows."))
    rows = validate_ledger(data, filename, scheme)
    if not rows:
        raise ImportRejected([RowError(2, "", "", "no_rows", str(_("the file has a header but no rows")))])
    sections = _sections(scheme)
    problems = section_problems(rows, sections, acting_user)
    identities = row_identities(rows)
    first: dict[str, int] = {}
    repeats = len(set(identities)) < len(identities)  # most files repeat no row: spare them the walk below
    for row, identity in zip(rows, identities, strict=True) if repeats else ():
        if identity in first:
            problems.append(RowError(row.line, "note", row.note, "duplicate_row", str(
                _("this row repeats line %(line)s: write one row with quantity 2, or tell them apart in the note")
                % {"line": first[identity]})))
        first.setdefault(identity, row.line)
    if problems:
        raise ImportRejected(problems)
    try:
        with transaction.atomic():
            return _write_new_rows(scheme, filename, rows, identities, sections, acting_user)
    except _NothingNew:
        present = _present(scheme.pk, identities)
        return ImportOutcome("ledger", len(rows), None, unchanged=len(rows), duplicate_of=min(present.values()))


def _present(scheme_id: int, identities: list[str]) -> dict[str, int | None]:
    """identity → the batch that holds it, for the identities already in the ledger."""
    found: dict[str, int | None] = {}
    sql = f"SELECT identity, batch_id FROM {LedgerEntry._meta.db_table} WHERE scheme_id = %s AND identity IN "
    with connection.cursor() as cursor:  # a few hundred lookups for a large file: plain SQL, built once per size
        for start in range(0, len(identities), 500):
            chunk = identities[start:start + 500]
            cursor.execute(sql + f"({', '.join(['%s'] * len(chunk))})", [scheme_id, *chunk])
            found.update(cursor.fetchall())
    return found


def _write_new_rows(scheme, filename: str, rows: list[LedgerRow], identities: list[str], sections: dict,
                    acting_user):
    # Imports into one scheme take turns: the second of two at the same moment waits here, then finds the
    # first one's rows present (two InnoDB transactions inserting the same keys would deadlock instead).
    Scheme.objects.select_for_update().filter(pk=scheme.pk).values_list("pk", flat=True).get()
    book = LockBook(scheme)
    if book.empty and not _present(scheme.pk, _sample(identities)):
        # Most likely a file of new rows, and no lock refuses any row: write them all and let the unique index
        # skip those already there, rather than look up every row first.
        return _write_all(scheme, filename, rows, identities, sections, acting_user)
    present = _present(scheme.pk, identities)
    new = [(row, identity) for row, identity in zip(rows, identities, strict=True) if identity not in present]
    earlier = min((b for b in present.values() if b is not None), default=None)
    if not new:
        return ImportOutcome("ledger", len(rows), None, unchanged=len(rows), duplicate_of=earlier)
    locked = lock_problems(scheme, [row for row, _i in new], sections, book=book)
    if locked:
        raise ImportRejected(locked)
    batch, written = _batch_written(scheme, filename, new, acting_user)
    if written != len(new):
        ImportBatch.objects.filter(pk=batch.pk).update(row_count=written)
    return _absorbed(scheme, batch, filename, len(rows), new, written, earlier, sections, acting_user)


def _write_all(scheme, filename: str, rows: list[LedgerRow], identities: list[str], sections: dict, acting_user):
    """Insert every row; when some were in the ledger already, find out which afterwards (the same outcome
    as looking them up first)."""
    new = list(zip(rows, identities, strict=True))
    batch, written = _batch_written(scheme, filename, new, acting_user)
    earlier = None
    if written != len(new):
        present = _present(scheme.pk, identities)
        earlier = min((b for b in present.values() if b is not None and b != batch.pk), default=None)
        new = [(row, identity) for row, identity in new if present.get(identity) == batch.pk]
        ImportBatch.objects.filter(pk=batch.pk).update(row_count=written, fingerprint=_fingerprint(scheme, new))
    return _absorbed(scheme, batch, filename, len(rows), new, written, earlier, sections, acting_user)


def _batch_written(scheme, filename: str, new: list[tuple[LedgerRow, str]], acting_user) -> tuple[ImportBatch, int]:
    """The import's batch record and its rows inserted: (the batch, how many rows were written); none written
    (a concurrent import wrote them all first) rolls it back."""
    batch = ImportBatch.objects.create(kind="ledger", scheme=scheme, filename=filename, row_count=len(new),
                                       created_by=acting_user, fingerprint=_fingerprint(scheme, new))
    written = _insert(new, scheme.pk, batch.pk, acting_user.pk if acting_user else None)
    if written == 0:
        raise _NothingNew
    return batch, written


def _absorbed(scheme, batch: ImportBatch, filename: str, total: int, new: list[tuple[LedgerRow, str]],
              written: int, earlier: int | None, sections: dict, acting_user) -> ImportOutcome:
    """The totals, standings, audit and sheets brought up to date with the ``written`` rows of ``batch``."""
    absorb_ledger_rows(scheme, _written_facts(batch.pk, new, written), _newest(batch.pk))
    audit(acting_user, "ledger.import", scheme=scheme, target=batch,
          after={"file": filename, "rows": total, "new": written, "already": total - written})
    _bump_sheets(scheme, {(row.unit_id, sections[row.rule_id]) for row, _i in new})
    return ImportOutcome("ledger", total, batch.pk, created=written, unchanged=total - written,
                         duplicate_of=earlier if written < total else None)


def _sample(identities: list[str], size: int = 500) -> list[str]:
    """A few hundred identities spread over the file: a file that repeats earlier rows shows some of them."""
    return identities[::max(1, len(identities) // size)][:size]


def _fingerprint(scheme, new: list[tuple[LedgerRow, str]]) -> str:
    return hex_fingerprint("ledger", scheme.code, sorted(i for _r, i in new))


def _written_facts(batch_id: int, new: list[tuple[LedgerRow, str]], written: int) -> list[tuple]:
    """What this import wrote: all of ``new``, or, when a concurrent import wrote some first, its own rows."""
    if written == len(new):
        return [(r.unit_id, r.rule_id, r.date, r.quantity, r.points) for r, _i in new]
    return list(LedgerEntry.objects.filter(batch_id=batch_id).values_list("unit_id", "rule_id", "date", "quantity",
                                                                           "points"))


def _newest(batch_id: int) -> int:
    return LedgerEntry.objects.filter(batch_id=batch_id).order_by("-id").values_list("id", flat=True).first() or 0


_IGNORING = {
    "sqlite": ("INSERT OR IGNORE INTO", ""),
    "mysql": ("INSERT IGNORE INTO", ""),
    "postgresql": ("INSERT INTO", " ON CONFLICT (scheme_id, identity) DO NOTHING"),
}


_BY_UNIT_RULE_DATE = itemgetter(1, 2, 5)  # of _insert's parameters


def _insert(rows: list[tuple[LedgerRow, str]], scheme_id: int, batch_id: int, user_id: int | None) -> int:
    """Insert validated rows; a row whose identity a concurrent import wrote first is skipped by the unique
    index. Returns how many were written."""
    # One executemany per chunk: model instances and per-row SQL generation would cost more than the
    # validation itself on 100,000 rows.
    ops = connection.ops
    table = LedgerEntry._meta.db_table
    now = ops.adapt_datetimefield_value(timezone.now())
    verb, tail = _IGNORING[connection.vendor]
    sql = (
        f"{verb} {table} (scheme_id, unit_id, rule_id, quantity, points, date, note, batch_id, "
        "reverses_id, created_at, created_by_id, identity) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        f"{tail}"
    )
    # Placeholders only, no literal NULL: mysqlclient then sends each chunk as one multi-row INSERT rather than
    # a statement per row.
    days = {day: ops.adapt_datefield_value(day) for day in {r.date for r, _i in rows}}  # a few hundred: once each
    decimal = ops.adapt_decimalfield_value
    params = [(scheme_id, r.unit_id, r.rule_id, decimal(r.quantity, 14, 4),
               decimal(r.points, 14, 4) if r.points is not None else None, days[r.date], r.note, batch_id, None, now,
               user_id, identity) for r, identity in rows]
    # In the ledger's index order (unit, rule, date) rather than the file's: each row's index entries land next
    # to the previous row's. A stable sort, so rows of one unit, rule and date keep the file's order (and ids).
    params.sort(key=_BY_UNIT_RULE_DATE)
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(params), INSERT_CHUNK):
            cursor.executemany(sql, params[start:start + INSERT_CHUNK])
            written += max(cursor.rowcount, 0)
    return written
