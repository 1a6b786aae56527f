"""A section's score-entry grid (units × its items, live), a sheet's page, its route and signatures."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.actions.ledger import EntryRejected
from kaohe.actions.rounds import do_send_back_sheet
from kaohe.actions.sheets import AmountChange, SheetConflict, check_amounts, do_set_amounts
from kaohe.actions.transitions import do_transition
from kaohe.imports.fields import CellError, parse_decimal
from kaohe.models import Evidence, LedgerEntry, Round, Rule, ScoreSheet, Section, Signature, State
from kaohe.numbers import plain
from kaohe.permissions import (
    can_edit_sheet,
    can_read_signed_content,
    can_record_anything,
    can_verify_signature,
    can_view_section,
    can_view_sheet,
    section_roles,
)
from kaohe.refusals import Refused
from kaohe.scoring import Method, Tally, score_scheme
from kaohe.scoring.spec import ROW_KINDS, Kind
from kaohe.services.ranking import scored_round
from kaohe.services.scoring import load_facts, month_end
from kaohe.services.signatures import section_items, verify
from kaohe.workflow.route import available, state_of
from kaohe.workflow.states import SheetState, Step

from .common import attempt, visible
from .evaluation import evaluation_context


def _grid_context(round_: Round, section: Section, user) -> dict:
    sheets = list(round_.sheets.filter(section=section).select_related("unit", "submitted_by"))
    items = list(round_.scheme.indicators.filter(section=section, children__isnull=True).order_by("order"))
    rules = list(Rule.objects.filter(indicator__in=items, kind="discretionary").select_related("indicator")
                 .order_by("order"))
    scored = scored_round(round_)  # the page opens on the stored state: the shared, cached result
    result = {u.unit: {"items": {c: i.score for c, i in u.items.items()}, "total": u.total} for u in scored.units}
    amounts = _current_amounts(round_, sheets, rules)
    states = {state.code: state for state in State.objects.filter(workflow__target="sheet")}
    return {"round": round_, "section": section, "sheets": sheets, "items": items, "rules": rules,
            "scores": result, "amounts": amounts, "states": {s.pk: states[s.state] for s in sheets},
            "editable": {s.pk: can_edit_sheet(user, s, states[s.state]) for s in sheets},
            # weighted and objectives schemes score items 0–100 with a weight: a sum of them means nothing
            "weighted": round_.scheme.method != Method.POINTS}


def load_and_score(round_: Round, unit_names: list[str], overrides: dict | None = None) -> dict:
    """Item scores per unit from the engine; ``overrides`` ((unit, rule) → points) previews unsaved amounts."""
    facts = load_facts(round_.scheme, round_.as_of, explain=False, units=unit_names)
    tallies = facts.tallies
    if overrides:
        kept = [t for t in tallies if (t.unit, t.rule) not in overrides]
        tallies = kept + [Tally(unit, rule, 1, Decimal(1), points) for (unit, rule), points in overrides.items()]
    result = score_scheme(facts.spec, facts.units, tallies, facts.figures, facts.as_of, with_lines=False)
    return {u.unit: {"items": {c: i.score for c, i in u.items.items()}, "total": u.total} for u in result.units}


def _current_amounts(round_, sheets, rules) -> dict:
    """(sheet id, rule id) → (points, note) of the live discretionary rows."""
    found = {}
    units = {s.unit_id: s for s in sheets}
    rows = LedgerEntry.objects.filter(scheme=round_.scheme, unit_id__in=units, rule__in=rules,
                                      reverses__isnull=True, reversed_by__isnull=True).order_by("date", "id")
    for entry in rows:
        key = (units[entry.unit_id].pk, entry.rule_id)
        points, _note = found.get(key, (Decimal(0), ""))
        found[key] = (points + (entry.points or 0), entry.note)
    return found


AMOUNT_DIGITS, AMOUNT_PLACES = 10, 4  # what a typed discretionary amount may have: ±999999.9999 at most


def _parse_amount(text: str) -> Decimal:
    """A typed amount: a finite number of at most 10 digits, 4 of them after the point.

    Raises CellError with the message to show inline: NaN, Infinity and 1e30 never reach a comparison.
    """
    return parse_decimal(text, max_digits=AMOUNT_DIGITS, places=AMOUNT_PLACES)


def _version(text: str | None) -> int | None:
    """The sheet version the page was loaded with, or None when the form did not send a usable one."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > 18:
        return None
    return int(text)


def _parse_changes(request, context) -> tuple[list[AmountChange], dict]:
    """The cells that differ from what is stored, and every posted cell's raw input for re-display.

    Only fields present in the POST count: a missing field changes nothing, and an empty amount keeps the
    stored one (removing an amount takes an explicit 0). A sheet whose fields came without a usable
    ``version-<sheet>`` is listed in ``stale``: the lost-update check is never skipped.
    """
    changes, raw, errors, stale = [], {}, {}, []
    post = request.POST
    for sheet in context["sheets"]:
        if not context["editable"][sheet.pk]:
            continue
        version = _version(post.get(f"version-{sheet.pk}"))
        posted = False
        for rule in context["rules"]:
            key = f"{sheet.pk}-{rule.pk}"
            stored, stored_note = context["amounts"].get((sheet.pk, rule.pk), (Decimal(0), ""))
            text, note = post.get(f"amount-{key}"), post.get(f"note-{key}")
            if text is None and note is None:
                continue
            posted = True
            text = (text or "").strip()
            note = stored_note if note is None else note.strip()
            raw[key] = (text, note)
            if not text:  # no amount, or an empty one: the stored amount stays, and so does its reason
                continue
            try:
                points = _parse_amount(text)
            except CellError as error:
                errors[key] = str(error)
                continue
            if points != stored or (points != 0 and note != stored_note):
                changes.append(AmountChange(sheet, rule, points, note, version if version is not None else -1))
        if posted and version is None:
            stale.append(sheet)
    return changes, {"raw": raw, "errors": errors, "stale": stale}


def _round_and_section(request, pk: int, section: str) -> tuple[Round, Section]:
    """The round and section of a grid URL, or 403 when the user has no business there."""
    round_ = get_object_or_404(Round, pk=pk)
    section_obj = get_object_or_404(Section, code=section)
    if not can_view_section(request.user, round_, section_obj):
        raise PermissionDenied
    return round_, section_obj


@login_required
def grid(request, pk: int, section: str):
    round_, section_obj = _round_and_section(request, pk, section)
    context = _grid_context(round_, section_obj, request.user)
    form_state = {"raw": {}, "errors": {}}
    if request.method == "POST":
        changes, form_state = _parse_changes(request, context)
        if form_state["stale"]:  # no usable version: as if saved meanwhile, nothing written, the input kept
            messages.error(request, _("%(unit)s was saved by someone else meanwhile. Your entries are kept "
                                      "below; the scores show the saved state. Check and save again.")
                           % {"unit": form_state["stale"][0].unit.name})
        elif not form_state["errors"]:
            try:
                for change, message in check_amounts(changes, request.user):
                    form_state["errors"][f"{change.sheet.pk}-{change.rule.pk}"] = message
                if not form_state["errors"]:
                    written = do_set_amounts(changes, acting_user=request.user)
                    messages.success(request, _("Saved %(n)d amount(s).") % {"n": written})
                    return redirect("kaohe:grid", round_.pk, section_obj.code)
            except SheetConflict as conflict:
                messages.error(request, _("%(unit)s was saved by someone else meanwhile. Your entries are kept "
                                          "below; the scores show the saved state. Check and save again.")
                               % {"unit": conflict.sheet.unit.name})
                context = _grid_context(round_, section_obj, request.user)
            except EntryRejected as rejected:
                messages.error(request, str(rejected))
            except PermissionDenied:
                raise
            except Refused as refused:  # the sheet was submitted meanwhile: say by whom, keep the input
                messages.error(request, str(refused))
                context = _grid_context(round_, section_obj, request.user)
        if form_state["errors"]:
            messages.error(request, _("Nothing was saved: correct the marked cells."))
    return render(request, "kaohe/grid.html", {**context, "rows": _grid_rows(context, form_state),
                                               **section_roles(request.user, section_obj),
                                               # a button is offered only while it has something to act on
                                               "any_editable": any(context["editable"].values()),
                                               "any_submitted": any(sheet.state == SheetState.SUBMITTED
                                                                    for sheet in context["sheets"]),
                                               "can_record": can_record_anything(request.user)
                                               and not context["weighted"]})


def _grid_rows(context: dict, form_state: dict) -> list[dict]:
    """One row per unit: its item scores, and an input per discretionary rule (the user's text kept)."""
    rows = []
    for sheet in context["sheets"]:
        scores = context["scores"].get(sheet.unit.name, {"items": {}})
        cells = [{"code": i.code, "score": scores["items"].get(i.code)} for i in context["items"]]
        inputs = []
        for rule in context["rules"]:
            key = f"{sheet.pk}-{rule.pk}"
            stored, note = context["amounts"].get((sheet.pk, rule.pk), (Decimal(0), ""))
            text, typed_note = form_state["raw"].get(key, (plain(stored) if stored else "", note))
            inputs.append({"key": key, "rule": rule, "value": text, "note": typed_note,
                           "error": form_state["errors"].get(key)})
        total = None if context["weighted"] else sum((c["score"] or Decimal(0) for c in cells), Decimal(0))
        rows.append({"sheet": sheet, "state": context["states"][sheet.pk], "editable": context["editable"][sheet.pk],
                     "cells": cells, "inputs": inputs, "total": total})
    return rows


@login_required
@require_POST
def grid_preview(request, pk: int, section: str):
    """The engine's result for the amounts typed so far, without saving them."""
    round_, section_obj = _round_and_section(request, pk, section)
    context = _grid_context(round_, section_obj, request.user)
    overrides, errors = {}, {}
    for sheet in context["sheets"]:
        for rule in context["rules"]:
            text = (request.POST.get(f"amount-{sheet.pk}-{rule.pk}") or "").strip()
            if not text:  # missing or empty: the stored amount stays, as on saving
                continue
            try:
                points = _parse_amount(text)
            except CellError as error:
                errors[f"{sheet.pk}-{rule.pk}"] = str(error)
                continue
            if not rule.min_points <= points <= rule.max_points:
                errors[f"{sheet.pk}-{rule.pk}"] = _("outside %(lo)s … %(hi)s") % {
                    "lo": plain(rule.min_points), "hi": plain(rule.max_points)}
                continue
            overrides[(sheet.unit.name, rule.code)] = points
    scores = load_and_score(round_, [s.unit.name for s in context["sheets"]], overrides)
    return JsonResponse({
        "errors": errors,
        "units": {s.pk: _previewed(scores.get(s.unit.name), context) for s in context["sheets"]},
    })


def _previewed(scored: dict | None, context: dict) -> dict:
    """One unit's previewed item scores as text ("" where nothing is scored), and its section total."""
    items = (scored or {}).get("items", {})
    total = None if context["weighted"] else sum((items.get(i.code) or Decimal(0) for i in context["items"]),
                                                 Decimal(0))
    return {"items": {c: plain(v) if v is not None else "" for c, v in items.items()},
            "total": plain(total) if total is not None else ""}


@login_required
@require_POST
def grid_bulk(request, pk: int, section: str, action: str):
    """Submit every draft sheet of the section, or sign every submitted one: one action per sheet."""
    round_, section_obj = _round_and_section(request, pk, section)
    if action not in {Step.SUBMIT, Step.SIGN}:
        raise PermissionDenied
    source = {Step.SUBMIT: [SheetState.DRAFT, SheetState.RETURNED], Step.SIGN: [SheetState.SUBMITTED]}[action]
    done, refused = 0, []
    for sheet in round_.sheets.filter(section=section_obj, state__in=source).select_related("unit"):
        try:
            do_transition(sheet, action, acting_user=request.user)
            done += 1
        except (Refused, PermissionDenied) as exc:
            refused.append(f"{sheet.unit.name}: {exc or _('not allowed')}")
    if done:
        messages.success(request, _("%(n)d sheet(s) done.") % {"n": done})
    for line in refused[:10]:
        messages.error(request, line)
    return redirect("kaohe:grid", round_.pk, section_obj.code)


ROWS_SHOWN = 30  # ledger rows listed per rule on a sheet page; the ledger, filtered by unit and rule, has them all
SINGLE_ROW_KINDS = frozenset(str(k) for k in (*ROW_KINDS, Kind.VETO))  # rules whose reversed rows drop out


def _shown_rows(sheet, scheme, rules: dict[str, Rule]) -> tuple[dict[str, dict], dict[int, list[Evidence]]]:
    """Per rule code, the first ROWS_SHOWN rows behind the sheet (as the engine lists them) and how many there
    are; and the shown rows' evidence keyed by row id.

    One count per rule from the ledger's index, one ``ORDER BY date, id LIMIT`` per rule that has rows (the
    section's few rules, never one per row), one query for the evidence: the same whatever the ledger holds.
    """
    if not rules:
        return {}, {}
    cutoff = month_end(sheet.round.as_of)
    entries = LedgerEntry.objects.filter(scheme=scheme, unit_id=sheet.unit_id, date__lte=cutoff,
                                         rule_id__in=[r.pk for r in rules.values()])
    single = [r.pk for r in rules.values() if r.kind in SINGLE_ROW_KINDS]
    if single:  # a reversed row and its reversal cancel: rules that read single rows list neither
        cancelled = Exists(LedgerEntry.objects.filter(reverses=OuterRef("pk"), date__lte=cutoff))
        entries = entries.exclude(Q(rule_id__in=single) & (Q(reverses__isnull=False) | Q(cancelled)))
    counts = dict(entries.order_by().values_list("rule_id").annotate(n=Count("id")))
    shown: dict[str, dict] = {}
    for code, rule in rules.items():
        if counts.get(rule.pk):
            rows = entries.filter(rule_id=rule.pk).order_by("date", "id") \
                .only("id", "date", "quantity", "points", "note")[:ROWS_SHOWN]
            shown[code] = {"count": counts[rule.pk], "rows": [
                {"id": e.pk, "date": str(e.date), "quantity": e.quantity, "points": e.points, "note": e.note}
                for e in rows]}
    evidence: dict[int, list[Evidence]] = {}
    ids = [row["id"] for line in shown.values() for row in line["rows"]]
    for file in Evidence.objects.filter(entry_id__in=ids).only("id", "entry_id", "original_name").order_by("id"):
        evidence.setdefault(file.entry_id, []).append(file)
    return shown, evidence


def _sheet_view(sheet) -> dict:
    """What the sheet page shows: each item's score (the ledger summed in SQL) and the first rows behind each rule.

    The head signs every row (services.signatures.sheet_content); the page lists ROWS_SHOWN per rule with the
    count and a link to the ledger, so it costs the same however long the ledger grows.
    """
    round_ = sheet.round
    scheme = round_.scheme
    codes = section_items(sheet)
    facts = load_facts(scheme, round_.as_of, explain=False, units=[sheet.unit.name])
    result = score_scheme(facts.spec, facts.units, facts.tallies, facts.figures, facts.as_of, with_lines=True,
                          ratings=facts.ratings, measures=facts.measures)
    unit = next((u for u in result.units if u.unit == sheet.unit.name), None)
    indicators = {i.code: i for i in scheme.indicators.filter(code__in=codes)}
    results = [unit.items[code] for code in codes if unit is not None and code in unit.items]
    named = {line.rule for item in results for line in item.lines if line.source == "ledger" and line.rule}
    rules = {r.code: r for r in Rule.objects.filter(scheme=scheme, code__in=named)}
    shown, evidence = _shown_rows(sheet, scheme, rules)
    none = {"rows": [], "count": 0}
    items = []
    for item in results:
        lines = []
        for line in item.lines:
            rows = shown.get(line.rule, none) if line.source == "ledger" else none
            lines.append({"rule": line.rule, "source": line.source, "effect": line.effect, "rows": rows["rows"],
                          "count": rows["count"], "more": rows["count"] > len(rows["rows"])})
        items.append({"code": item.code, "indicator": indicators.get(item.code), "base": item.base,
                      "score": item.score, "lines": lines})
    weighted = scheme.method != Method.POINTS  # items scored 0–100 under a weight: their sum means nothing
    total = None if weighted else sum((i["score"] for i in items), Decimal(0))
    return {"items": items, "total": total, "weighted": weighted, "evidence": evidence}


@login_required
def sheet_page(request, pk: int):
    sheet = visible(ScoreSheet.objects.select_related("round__scheme", "section", "unit", "submitted_by"),
                    can_view_sheet, request.user, pk=pk)
    content = _sheet_view(sheet)
    return render(request, "kaohe/sheet.html", {
        "sheet": sheet, "state": state_of(sheet), "content": content, "evidence": content["evidence"],
        "actions": available(sheet, request.user), "log": sheet.log.select_related("user", "on_behalf_of"),
        "signatures": sheet.signatures.select_related("user", "on_behalf_of"),
        "objections": sheet.objections.select_related("answered_by"),
        **evaluation_context(request.user, sheet.round, sheet.unit),
    })


@login_required
@require_POST
def sheet_action(request, pk: int):
    sheet = visible(ScoreSheet, can_view_sheet, request.user, pk=pk)
    action = request.POST.get("action", "")
    comment = request.POST.get("comment", "")
    if action == Step.SEND_BACK:
        attempt(request, lambda: do_send_back_sheet(sheet, comment=comment, acting_user=request.user), _("Done."))
    else:
        attempt(request, lambda: do_transition(sheet, action, acting_user=request.user, comment=comment), _("Done."))
    return redirect("kaohe:sheet", sheet.pk)


SHOWN_UNITS = 500  # units listed on a round signature's page; ?format=content gives all of what was signed


@login_required
def verify_signature(request, pk: int):
    signature = get_object_or_404(Signature.objects.select_related("sheet", "round", "user", "on_behalf_of"), pk=pk)
    if not can_verify_signature(request.user, signature):
        raise PermissionDenied
    readable = can_read_signed_content(request.user, signature)
    if request.GET.get("format") == "content":  # exactly what was signed, for anyone who re-checks by hand
        if not readable:
            raise PermissionDenied
        return JsonResponse(signature.content, json_dumps_params={"ensure_ascii": False})
    outcome = verify(signature)
    if request.GET.get("format") == "json":
        return JsonResponse(outcome)
    code = (request.GET.get("code") or "")[:20]  # a printed document's verification code, from its QR code
    printed = signature.prints.select_related("format").filter(code=code).first() if code else None
    return render(request, "kaohe/verify.html", {"signature": signature, "outcome": outcome, "code": code,
                                                 "printed": printed,
                                                 "signed": _signed_summary(signature.content) if readable else None})


def _signed_summary(content: dict) -> list[tuple[str, str, int]]:
    """What a signature covers, one line per item (score and rows behind it) or per unit (total and rank)."""
    if "items" in content:
        return [(code, item["score"], sum(len(line.get("rows", ())) for line in item["lines"]))
                for code, item in content["items"].items()]
    return [(u["unit"], u["total"], u.get("rank") or 0) for u in content.get("units", [])][:SHOWN_UNITS]
