"""Ratings, measured values and objectives trees, written from accepted import files, with the same locks as
the ledger: what feeds a signed sheet waits until the sheet is returned."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.imports.errors import ImportRejected, RowError
from kaohe.imports.fields import fingerprint
from kaohe.imports.measures import validate_measures
from kaohe.imports.objectives import parent_code, validate_objectives
from kaohe.imports.outcome import ImportOutcome
from kaohe.imports.ratings import validate_ratings
from kaohe.models import ImportBatch, Indicator, Measurement, Rating, Rule, Unit
from kaohe.scoring import Method

from .audit import audit
from .locks import LockBook
from .saving import save_with_history
from .units import check_may_import


def _rule_scope(scheme) -> dict[int, tuple[int | None, int | None]]:
    """rule id → (section, owner unit) of its item."""
    return {pk: (section, owner) for pk, section, owner in
            Rule.objects.filter(scheme=scheme).values_list("id", "indicator__section_id", "indicator__owner_id")}


@transaction.atomic
def do_import_ratings(data: bytes, filename: str, scheme, *, acting_user=None) -> ImportOutcome:
    check_may_import(acting_user)
    rows = validate_ratings(data, filename, scheme)
    existing = {(r.unit_id, r.rule_id, r.source_id, r.rater_group, r.rater, r.period): r
                for r in Rating.objects.filter(scheme=scheme, unit_id__in={r[0] for r in rows})}
    locks, scope = LockBook(scheme), _rule_scope(scheme)
    new, changed, problems = [], [], []
    for unit_id, rule_id, source_id, group, rater, period, end, value, letter, key, line in rows:
        found = existing.get((unit_id, rule_id, source_id, group, rater, period))
        if found is not None and found.value == value and found.letter == letter:
            continue
        refusal = None if locks.empty else locks.for_row(unit_id, scope[rule_id][0], end)
        if refusal is not None:
            problems.append(RowError(line, "ratee", key[0], refusal.code, str(refusal)))
        elif found is None:
            new.append(Rating(scheme=scheme, unit_id=unit_id, rule_id=rule_id, source_id=source_id, rater_group=group,
                              rater=rater, period=period, date=end, value=value, letter=letter))
        else:
            found.value, found.letter = value, letter
            changed.append(found)
    if problems:
        raise ImportRejected(problems)
    batch = ImportBatch.objects.create(
        kind="ratings", scheme=scheme, filename=filename, row_count=len(rows), created_by=acting_user,
        fingerprint=fingerprint("ratings", scheme.code, [(*r[9], r[7]) for r in rows]),
    )
    for rating in (*new, *changed):
        rating.batch = batch
    save_with_history(Rating, new, changed, ["value", "letter", "batch"], acting_user)
    audit(acting_user, "ratings.import", scheme=scheme, target=batch,
          after={"file": filename, "new": len(new), "changed": len(changed)})
    return ImportOutcome("ratings", len(rows), batch.pk, len(new), len(changed), len(rows) - len(new) - len(changed))


@transaction.atomic
def do_import_measures(data: bytes, filename: str, scheme, *, acting_user=None) -> ImportOutcome:
    check_may_import(acting_user)
    rows = validate_measures(data, filename, scheme)
    existing = {(m.unit_id, m.rule_id, m.date): m for m in Measurement.objects.filter(scheme=scheme)}
    locks, scope = LockBook(scheme), _rule_scope(scheme)
    new, changed, problems = [], [], []
    for unit_id, rule_id, day, actual, target, note, key, line in rows:
        found = existing.get((unit_id, rule_id, day))
        if found is not None and (found.actual, found.target, found.note) == (actual, target, note):
            continue
        section, owner = scope[rule_id]
        refusal = None if locks.empty else locks.for_row(unit_id or owner, section, day)
        if refusal is not None:
            problems.append(RowError(line, "indicator", key[1], refusal.code, str(refusal)))
        elif found is None:
            new.append(Measurement(scheme=scheme, unit_id=unit_id, rule_id=rule_id, date=day, actual=actual,
                                   target=target, note=note, created_by=acting_user))
        else:
            found.actual, found.target, found.note = actual, target, note
            changed.append(found)
    if problems:
        raise ImportRejected(problems)
    batch = ImportBatch.objects.create(
        kind="measures", scheme=scheme, filename=filename, row_count=len(rows), created_by=acting_user,
        fingerprint=fingerprint("measures", scheme.code, [(*r[6], r[3], r[4]) for r in rows]),
    )
    for measurement in (*new, *changed):
        measurement.batch = batch
    save_with_history(Measurement, new, changed, ["actual", "target", "note", "batch"], acting_user)
    audit(acting_user, "measures.import", scheme=scheme, target=batch,
          after={"file": filename, "new": len(new), "changed": len(changed)})
    return ImportOutcome("measures", len(rows), batch.pk, len(new), len(changed), len(rows) - len(new) - len(changed))


@transaction.atomic
def do_import_objectives(data: bytes, filename: str, scheme, *, acting_user=None) -> ImportOutcome:
    """The whole tree: nodes not in the file are removed, unless progress was recorded against them."""
    check_may_import(acting_user)
    nodes = validate_objectives(data, filename, scheme)
    if scheme.method == Method.OBJECTIVES:
        refusal = LockBook(scheme).for_anything()
        if refusal is not None:
            raise ImportRejected([RowError(0, "", scheme.code, refusal.code, str(refusal))])
    codes = {n["code"] for n in nodes}
    rules = {n["rule"] for n in nodes if n["leaf"]}
    stale_rules = scheme.rules.exclude(code__in=rules)
    used = set(Measurement.objects.filter(rule__in=stale_rules).values_list("rule__code", flat=True))
    if used:
        raise ImportRejected([RowError(0, "rule", code, "has_progress",
                                       _("progress is recorded against this task; keep it in the file"))
                              for code in sorted(used)])
    stale_rules.delete()
    scheme.indicators.exclude(code__in=codes).delete()
    owners = dict(Unit.objects.filter(name__in={n["owner"] for n in nodes}).values_list("name", "id"))
    section = scheme.indicators.filter(section__isnull=False).values_list("section_id", flat=True).first()
    saved: dict[str, Indicator] = {}
    created = 0
    order_of = {n["code"]: position for position, n in enumerate(nodes)}  # the file's order
    for node in sorted(nodes, key=lambda n: n["code"].count(".")):  # parents before their children
        order = order_of[node["code"]]
        parent = parent_code(node["code"])
        saved[node["code"]], made = Indicator.objects.update_or_create(
            scheme=scheme, code=node["code"],
            defaults={"name": node["name"], "parent": saved.get(parent), "weight": node["weight"],
                      "owner_id": owners[node["owner"]], "target": node["target"], "order": order,
                      "section_id": section if parent is None else None},
        )
        created += made
        if node["leaf"]:
            Rule.objects.update_or_create(scheme=scheme, code=node["rule"], defaults={
                "name": node["name"], "kind": node["kind"], "indicator": saved[node["code"]],
                "max_points": node["cap"], "order": order})
    batch = ImportBatch.objects.create(
        kind="objectives", scheme=scheme, filename=filename, row_count=len(nodes), created_by=acting_user,
        fingerprint=fingerprint("objectives", scheme.code, [(n["code"], n["weight"], n["target"]) for n in nodes]),
    )
    audit(acting_user, "objectives.import", scheme=scheme, target=batch,
          after={"file": filename, "nodes": len(nodes), "new": created})
    return ImportOutcome("objectives", len(nodes), batch.pk, created, len(nodes) - created, 0)
