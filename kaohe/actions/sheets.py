"""Discretionary amounts entered in a section's grid: each is a ledger row with a reason; a changed amount
reverses the earlier rows and states the new one, all or nothing, refused on a stale page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.imports.errors import RowError
from kaohe.models import LedgerEntry, Round, Rule, ScoreSheet
from kaohe.numbers import plain
from kaohe.permissions import can_edit_sheet, is_section_staff
from kaohe.refusals import NotAllowed, Refused
from kaohe.services.scoring import month_end

from .aggregates import absorb_entries
from .audit import audit
from .ledger import EntryRejected
from .locks import LockBook


class SheetConflict(Refused):
    """Someone saved the sheet since this page was loaded; nothing was written."""

    def __init__(self, sheet: ScoreSheet) -> None:
        self.sheet = sheet
        super().__init__("sheet_conflict", _("%(unit)s was saved by someone else meanwhile; nothing was written."),
                         unit=sheet.unit.name)


@dataclass(frozen=True)
class AmountChange:
    sheet: ScoreSheet
    rule: Rule
    points: Decimal
    note: str
    expected_version: int


def _lock_of(sheet: ScoreSheet) -> Refused:
    lock = LockBook(sheet.round.scheme).sheets.get((sheet.section_id, sheet.unit_id))
    if lock is not None:
        return lock.refusal()
    return Refused("sheet_not_editable", _("This sheet cannot be edited in its present state."))


def check_amounts(changes: list[AmountChange], acting_user) -> list[tuple[AmountChange, str]]:
    """Every problem of a grid save as (change, message); empty when all can be written."""
    problems = []
    for change in changes:
        if not can_edit_sheet(acting_user, change.sheet):
            if is_section_staff(acting_user, change.sheet.section_id):  # the right person, the wrong moment
                raise _lock_of(change.sheet)
            raise NotAllowed("sheet_not_editable", _("This sheet is not yours to edit."))
        if change.rule.kind != "discretionary":
            problems.append((change, str(_("only discretionary rules take an amount"))))
        elif change.rule.indicator.section_id != change.sheet.section_id:
            raise NotAllowed("other_section", _("This rule belongs to another section."))
        elif not change.rule.min_points <= change.points <= change.rule.max_points:
            problems.append((change, str(_("outside %(lo)s … %(hi)s") % {
                "lo": plain(change.rule.min_points), "hi": plain(change.rule.max_points)})))
        elif change.points != 0 and not change.note.strip():
            problems.append((change, str(_("give a reason"))))
        elif "\x00" in change.note:  # no database keeps a NUL byte in text (PostgreSQL refuses it)
            problems.append((change, str(_("contains a NUL character, which is not text"))))
    return problems


@transaction.atomic
def do_set_amounts(changes: list[AmountChange], *, acting_user) -> int:
    """Set discretionary amounts: earlier rows are reversed and one new row states the amount.

    All or nothing; a sheet saved by someone else since ``expected_version`` raises SheetConflict.
    """
    problems = check_amounts(changes, acting_user)
    if problems:
        raise EntryRejected([RowError(0, c.rule.code, str(c.points), "bad_amount", m) for c, m in problems])
    written = 0
    created: list[LedgerEntry] = []
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
        day = _entry_date(sheet.round)
        for entry in live:
            created.append(LedgerEntry.objects.create(
                scheme=entry.scheme, unit=entry.unit, rule=entry.rule, quantity=-entry.quantity,
                points=-entry.points if entry.points is not None else None, date=day,
                note=f"更正：{change.note.strip()}", reverses=entry, created_by=acting_user))
        if change.points != 0:
            created.append(LedgerEntry.objects.create(
                scheme=sheet.round.scheme, unit=sheet.unit, rule=change.rule, quantity=1, points=change.points,
                date=day, note=change.note.strip(), created_by=acting_user))
        audit(acting_user, "sheet.amount", scheme=sheet.round.scheme, target=sheet,
              before={"rule": change.rule.code, "points": current},
              after={"rule": change.rule.code, "points": change.points, "note": change.note.strip()})
        written += 1
    for sheet in touched.values():
        _bump(sheet)
    absorb_entries(created)
    return written


def _entry_date(round_: Round) -> date:
    """The date the amount refers to: the last day of the round's period, not the day it was typed, so the
    ledger and the sheet date it by the period it scores."""
    return month_end(round_.as_of)


def _bump(sheet: ScoreSheet) -> None:
    ScoreSheet.objects.filter(pk=sheet.pk).update(version=sheet.version + 1, updated_at=timezone.now())
    sheet.version += 1
