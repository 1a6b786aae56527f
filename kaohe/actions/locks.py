"""Signed content is locked: from the moment a section's sheet leaves the editable states (submitted,
signed) until it is returned through the route, nothing that feeds it may change.

What feeds a sheet (section S, unit U, round R as of month M): ledger rows, ratings and measurements
of U under rules of S's items dated up to the end of M; U's economic figures up to M when S scores
the economic item; the rules and items of S; U's group and active flag. What feeds no sheet but the
ranking (veto rows, prize quotas, the scheme's own settings) is locked once the round is collected.
Every writer asks a :class:`LockBook` before it writes, and a refusal names the sheet, who signed or
submitted it, and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.models import Round, ScoreSheet, Signature, State
from kaohe.refusals import Refused
from kaohe.services.scoring import month_end
from kaohe.workflow.states import RoundState, SheetState


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _person(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class SheetLock:
    sheet: ScoreSheet
    by: str
    at: str
    cutoff: date

    def refusal(self) -> Refused:
        params = {"sheet": f"{self.sheet.section.name}·{self.sheet.unit.name}", "by": self.by, "at": self.at}
        if self.sheet.state == SheetState.SIGNED:
            return Refused("sheet_signed", _("The %(sheet)s sheet was signed by %(by)s on %(at)s; it must be "
                                             "returned through the route before what it covers can change."),
                           **params)
        return Refused("sheet_submitted", _("The %(sheet)s sheet was submitted by %(by)s on %(at)s and waits for "
                                            "signature; it must be returned before what it covers can change."),
                       **params)


def _running_rounds(scheme_id: int) -> list[Round]:
    """The scheme's rounds not yet closed. Most of the year none is: one plain query answers that, and only
    when one runs is it read as a model."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Round._meta.db_table} WHERE scheme_id = %s AND state <> %s",
                       [scheme_id, RoundState.CLOSED])
        ids = [pk for (pk,) in cursor.fetchall()]
    return list(Round.objects.filter(pk__in=ids)) if ids else []


class LockBook:
    """The locks of one scheme's running round, read once; each question is then a dictionary look-up."""

    def __init__(self, scheme, units: list[int] | None = None) -> None:
        """``units``: read only these units' sheets (one entry); ``for_section`` then knows no other unit's."""
        self.scheme = scheme
        self.rounds = _running_rounds(scheme.pk)
        sheets = []
        if self.rounds:  # no running round, nothing locked: spare a single write the three reads below
            fixed = set(State.objects.filter(workflow__target="sheet", editable=False)
                        .values_list("code", flat=True))
            chosen = ScoreSheet.objects.filter(round__in=self.rounds, state__in=fixed)
            if units is not None:
                chosen = chosen.filter(unit_id__in=units)
            sheets = list(chosen.select_related("round__scheme", "section", "unit", "submitted_by"))
        signers = {}
        for signature in (Signature.objects.filter(sheet__in=sheets).select_related("user", "on_behalf_of")
                          .order_by("signed_at", "id") if sheets else ()):
            signers[signature.sheet_id] = signature
        self.sheets: dict[tuple[int, int], SheetLock] = {}
        for sheet in sheets:
            signature = signers.get(sheet.pk) if sheet.state == SheetState.SIGNED else None
            if signature is not None:
                by = _person(signature.user)
                if signature.on_behalf_of_id:
                    by = f"{by}（{_('for')} {_person(signature.on_behalf_of)}）"
                at = _when(signature.signed_at)
            else:
                by, at = _person(sheet.submitted_by), _when(sheet.updated_at)
            as_of = sheet.round.as_of
            self.sheets[(sheet.section_id, sheet.unit_id)] = SheetLock(sheet, by, at, month_end(as_of))
        self.by_section: dict[int, SheetLock] = {}
        self.by_unit: dict[int, SheetLock] = {}
        for (section_id, unit_id), lock in self.sheets.items():
            self.by_section.setdefault(section_id, lock)
            self.by_unit.setdefault(unit_id, lock)
        self.frozen = next((r for r in self.rounds if r.state != RoundState.OPEN), None)

    @property
    def empty(self) -> bool:
        return not self.sheets and self.frozen is None

    def _frozen_refusal(self) -> Refused:
        return Refused("round_frozen", _("The round %(round)s is past collection; what feeds its ranking cannot "
                                         "change unless the meeting sends it back."), round=self.frozen.name)

    def for_row(self, unit_id: int, section_id: int | None, day: date) -> Refused | None:
        """A ledger row, rating or measurement of ``unit_id`` under a rule of ``section_id`` on ``day``."""
        if section_id is None:
            if self.frozen is not None and day <= month_end(self.frozen.as_of):
                return self._frozen_refusal()
            return None
        lock = self.sheets.get((section_id, unit_id))
        if lock is not None and day <= lock.cutoff:
            return lock.refusal()
        return None

    def for_section(self, section_id: int | None) -> Refused | None:
        """An item or rule of ``section_id`` (none: a veto rule, which feeds only the ranking)."""
        if section_id is None:
            return self._frozen_refusal() if self.frozen is not None else None
        lock = self.by_section.get(section_id)
        return lock.refusal() if lock else None

    def for_unit(self, unit_id: int) -> Refused | None:
        """A unit's group or active flag: it feeds its every sheet and its group's ranking."""
        if self.frozen is not None and self.frozen.sheets.filter(unit_id=unit_id).exists():
            return self._frozen_refusal()
        lock = self.by_unit.get(unit_id)
        return lock.refusal() if lock else None

    def for_anything(self) -> Refused | None:
        """A setting of the whole scheme (method, decimals, quotas, grades, weights of the tree's top)."""
        if self.frozen is not None:
            return self._frozen_refusal()
        lock = next(iter(self.sheets.values()), None)
        return lock.refusal() if lock else None


def schemes_of_unit(unit_id: int):
    """The schemes with a running round that this unit takes part in."""
    return {s.round.scheme for s in ScoreSheet.objects.filter(unit_id=unit_id).exclude(round__state=RoundState.CLOSED)
            .select_related("round__scheme")}


def check_unit_unlocked(unit_id: int) -> None:
    for scheme in schemes_of_unit(unit_id):
        refusal = LockBook(scheme).for_unit(unit_id)
        if refusal is not None:
            raise refusal


def alone() -> dict:
    """``select_for_update(**alone())`` locks the queried rows only, not those it joins: PostgreSQL refuses to lock
    the nullable side of an outer join. MariaDB has no FOR UPDATE OF and locks the joined rows as well."""
    return {"of": ("self",)} if connection.features.has_select_for_update_of else {}
