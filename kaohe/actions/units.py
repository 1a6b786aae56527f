"""Units, people and their groups, written from an accepted import file; a unit in a running round keeps its
group and stays active until the round no longer relies on it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaohe.imports.errors import ImportRejected, RowError
from kaohe.imports.fields import fingerprint
from kaohe.imports.outcome import ImportOutcome
from kaohe.imports.units import validate_groups, validate_units
from kaohe.models import ImportBatch, Membership, Role, Unit, UnitGroup
from kaohe.permissions import can_import
from kaohe.refusals import NotAllowed, Refused

from .audit import audit
from .locks import check_unit_unlocked


def check_may_import(acting_user) -> None:
    if not can_import(acting_user):
        raise NotAllowed("admin_only", _("Only an administrator or the collecting section imports files."))


@transaction.atomic
def do_import_units(data: bytes, filename: str, *, acting_user=None) -> ImportOutcome:
    check_may_import(acting_user)
    rows = validate_units(data, filename)
    existing = {u.name: u for u in Unit.objects.filter(name__in=[n for n, _g, _u in rows])}
    problems = []
    for line, (name, group, _login) in enumerate(rows, start=2):
        unit = existing.get(name)
        if unit is not None and (unit.group_id != group.pk or not unit.active):
            try:
                check_unit_unlocked(unit.pk)
            except Refused as refusal:
                problems.append(RowError(line, "group", group.code, refusal.code, str(refusal)))
    if problems:
        raise ImportRejected(problems)
    created = updated = 0
    for name, group, login in rows:
        unit = existing.get(name)
        if unit is None:
            unit = Unit.objects.create(name=name, group=group)
            created += 1
        elif unit.group_id != group.pk or not unit.active:
            unit.group, unit.active = group, True
            unit.save()
            updated += 1
        if login:
            link_login(unit, login)
    batch = ImportBatch.objects.create(
        kind="units", fingerprint=fingerprint("units", "", [(n, g.code, u) for n, g, u in rows]), filename=filename,
        row_count=len(rows), created_by=acting_user,
    )
    audit(acting_user, "units.import", target=batch, after={"file": filename, "new": created, "changed": updated})
    return ImportOutcome("units", len(rows), batch.pk, created, updated, len(rows) - created - updated)


def link_login(unit: Unit, login: str) -> None:
    """The login sees this unit's own result; a new login has no password until an administrator sets one."""
    user, made = get_user_model().objects.get_or_create(username=login)
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, role=Role.UNIT, unit=unit)


@transaction.atomic
def do_import_groups(data: bytes, filename: str, *, acting_user=None) -> ImportOutcome:
    """Org units (departments, groups of towns): ``code,name``."""
    check_may_import(acting_user)
    rows = validate_groups(data, filename)
    created = updated = 0
    for code, name in rows:
        group, made = UnitGroup.objects.get_or_create(code=code, defaults={"name": name})
        if made:
            created += 1
        elif group.name != name:
            group.name = name
            group.save(update_fields=["name"])
            updated += 1
    batch = ImportBatch.objects.create(kind="groups", fingerprint=fingerprint("groups", "", rows), filename=filename,
                                       row_count=len(rows), created_by=acting_user)
    audit(acting_user, "groups.import", target=batch, after={"file": filename, "new": created, "changed": updated})
    return ImportOutcome("groups", len(rows), batch.pk, created, updated, len(rows) - created - updated)
