"""Changing what a sheet covers: ledger rows with evidence, and discretionary amounts from the grid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kaohe.imports.errors import RowError
from kaohe.imports.ledger import LedgerValidator
from kaohe.models import Evidence, LedgerEntry, Round, Rule, ScoreSheet, Unit
from kaohe.permissions import can_edit_sheet, can_record
from kaohe.workflow.route import RouteRefused, state_of

from .evidence import check_upload


class SheetConflict(Exception):
    """Someone saved the sheet since this page was loaded; nothing was written."""

    def __init__(self, sheet: ScoreSheet) -> None:
        self.sheet = sheet
        super().__init__(f"{sheet} was changed by someone else (now version {sheet.version})")


class EntryRejected(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def sheet_for(scheme, unit: Unit, rule: Rule) -> ScoreSheet | None:
    """The sheet of the scheme's running round that covers ``rule`` for ``unit``, if any."""
    section_id = rule.indicator.section_id if rule.indicator else None
    return (ScoreSheet.objects.filter(round__scheme=scheme, section_id=section_id, unit=unit)
            .exclude(round__state="closed").select_related("round").first())


def check_sheet_open(sheet: ScoreSheet | None) -> None:
    if sheet is None:
        return
    if not state_of(sheet).editable:
        raise RouteRefused("sheet_locked", f"this sheet is {state_of(sheet).label}; it must be returned first")


@transaction.atomic
def do_record_entry(scheme, *, cells: dict[str, str], files=(), acting_user) -> LedgerEntry:
    """One ledger row, validated exactly as an imported row is, with its evidence files."""
    rule = Rule.objects.filter(scheme=scheme, code=cells.get("rule", "")).select_related("indicator").first()
    section_id = rule.indicator.section_id if rule and rule.indicator else None
    if rule is not None and not can_record(acting_user, section_id):
        raise PermissionDenied("this rule belongs to another section")
    if rule is None and not can_record(acting_user, None):
        errors = [RowError(1, "rule", cells.get("rule", ""), "unknown_rule", "no rule has this code")]
        raise EntryRejected(errors)
    errors: list[RowError] = []
    row = LedgerValidator(scheme).row(1, {k: cells.get(k, "") for k in
                                          ("unit", "rule", "quantity", "points", "date", "note")}, errors)
    kinds = []
    for upload in files:
        try:
            kinds.append(check_upload(upload))
        except ValidationError as exc:
            errors.append(RowError(1, "evidence", upload.name, "bad_file", exc.messages[0]))
    if errors:
        raise EntryRejected(errors)
    unit = Unit.objects.get(pk=row.unit_id)
    sheet = sheet_for(scheme, unit, rule)
    check_sheet_open(sheet)
    entry = LedgerEntry.objects.create(scheme=scheme, unit=unit, rule=rule, quantity=row.quantity, points=row.points,
                                       date=row.date, note=row.note, created_by=acting_user)
    for upload, kind in zip(files, kinds, strict=True):
        Evidence.objects.create(entry=entry, file=upload, original_name=upload.name[:255], size=upload.size,
                                kind=kind, uploaded_by=acting_user)
    if sheet is not None:
        _bump(sheet)
    return entry


@dataclass(frozen=True)
class AmountChange:
    sheet: ScoreSheet
    rule: Rule
    points: Decimal
    note: str
    expected_version: int


def check_amounts(changes: list[AmountChange], acting_user) -> list[tuple[AmountChange, str]]:
    """Every problem of a grid save as (change, message); empty when all can be written."""
    problems = []
    for change in changes:
        if not can_edit_sheet(acting_user, change.sheet):
            raise PermissionDenied("this sheet is not yours to edit now")
        if change.rule.kind != "discretionary":
            problems.append((change, "only discretionary rules take an amount"))
        elif change.rule.indicator.section_id != change.sheet.section_id:
            raise PermissionDenied("this rule belongs to another section")
        elif not change.rule.min_points <= change.points <= change.rule.max_points:
            problems.append((change, f"outside {change.rule.min_points.normalize():f} … "
                                     f"{change.rule.max_points.normalize():f}"))
        elif change.points != 0 and not change.note.strip():
            problems.append((change, "give a reason"))
    return problems


@transaction.atomic
def do_set_amounts(changes: list[AmountChange], *, acting_user, today: date | None = None) -> int:
    """Set discretionary amounts: earlier rows are reversed and one new row states the amount.

    All or nothing; a sheet saved by someone else since ``expected_version`` raises SheetConflict.
    """
    problems = check_amounts(changes, acting_user)
    if problems:
        raise EntryRejected([RowError(0, c.rule.code, str(c.points), "bad_amount", m) for c, m in problems])
    written = 0
    touched: dict[int, ScoreSheet] = {}
    for change in changes:
        sheet = touched.get(change.sheet.pk) or ScoreSheet.objects.select_for_update().get(pk=change.sheet.pk)
        if sheet.version != change.expected_version:
            raise SheetConflict(sheet)
        touched[sheet.pk] = sheet
        live = list(LedgerEntry.objects.filter(scheme=sheet.round.scheme, unit=sheet.unit, rule=change.rule,
                                               reverses__isnull=True, reversed_by__isnull=True))
        current = sum((e.points or Decimal(0) for e in live), Decimal(0))
        if current == change.points:
            continue
        day = _entry_date(sheet.round, today)
        for entry in live:
            LedgerEntry.objects.create(scheme=entry.scheme, unit=entry.unit, rule=entry.rule, quantity=-entry.quantity,
                                       points=-entry.points if entry.points is not None else None, date=day,
                                       note=f"更正：{change.note.strip()}", reverses=entry, created_by=acting_user)
        if change.points != 0:
            LedgerEntry.objects.create(scheme=sheet.round.scheme, unit=sheet.unit, rule=change.rule, quantity=1,
                                       points=change.points, date=day, note=change.note.strip(),
                                       created_by=acting_user)
        written += 1
    for sheet in touched.values():
        _bump(sheet)
    return written


def _entry_date(round_: Round, today: date | None) -> date:
    """Today, held inside the round's period so the row counts for it."""
    today = today or timezone.localdate()
    from kaohe.services.scoring import month_end

    last = month_end(round_.as_of)
    first = date(round_.scheme.year, 1, 1)
    return min(max(today, first), last)


def _bump(sheet: ScoreSheet) -> None:
    ScoreSheet.objects.filter(pk=sheet.pk).update(version=sheet.version + 1, updated_at=timezone.now())
    sheet.version += 1
