"""The meeting's what-if on a round: its facts loaded once per fingerprint, a scenario read from a form, and
the engine's answer beside the real one. It only reads: nothing of a scenario is ever stored."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kaohe.imports.fields import CellError, parse_decimal
from kaohe.refusals import Refused
from kaohe.scoring import AsOf, SchemeResult, score_scheme
from kaohe.scoring.batch import collector_paused
from kaohe.scoring.economy import latest_figures
from kaohe.scoring.spec import COUNT_KINDS, Kind, Method
from kaohe.scoring.whatif import (
    AmountChange,
    Comparison,
    FigureChange,
    RowChange,
    Scenario,
    UnknownTarget,
    row_index,
    what_if,
)

from .memo import Memo
from .ranking import TTL, fingerprint, round_unit_names
from .scoring import Facts, load_facts


@dataclass(frozen=True)
class RoundFacts:
    facts: Facts
    real: SchemeResult


# The last few rounds' facts in this process, as objects: unpickling thousands of rows and Decimals from the
# cache would cost more than the what-if itself. They hold every ledger row with its explanation, so only a few.
_FACTS = Memo(4)


def round_facts(round_, key: str | None = None) -> RoundFacts:
    """The round's facts with every ledger row, and the real result scored on them; cached per fingerprint."""
    def compute() -> RoundFacts:
        with collector_paused():
            facts = load_facts(round_.scheme, round_.as_of, explain=True, units=round_unit_names(round_))
            real = score_scheme(facts.spec, facts.units, facts.tallies, facts.figures, facts.as_of, with_lines=False)
        return RoundFacts(facts, real)

    return _FACTS.get(f"kaohe:whatif:{key or fingerprint(round_)}", compute, TTL)


def supports_what_if(round_) -> bool:
    """Ledger rows, economic figures and sheet amounts belong to points schemes only."""
    return round_.scheme.method == Method.POINTS


def run_what_if(round_, scenario: Scenario, found: RoundFacts | None = None) -> Comparison:
    found = found or round_facts(round_)
    facts = found.facts
    try:
        return what_if(facts.spec, facts.units, facts.tallies, facts.figures, facts.as_of, scenario, found.real)
    except UnknownTarget as missing:  # read_scenario names these first; a change the facts lost meanwhile
        raise Refused("whatif_unknown", _("The scenario names %(what)s, which this round does not hold."),
                      what=f"{missing.kind} {missing.key}") from None


# ------------------------------------------------------------------------------------------ reading a form
# Field names: ``exclude`` (a row number, repeated), ``quantity-<row>``, ``points-<row>``,
# ``actual:<unit>:<indicator>``, ``target:<unit>:<indicator>``, ``amount:<unit>:<rule>``. Empty means unchanged.

ROW_FIELDS = ("quantity-", "points-")
FIGURE_FIELDS = ("actual:", "target:")
AMOUNT_FIELD = "amount:"


def is_row_number(text: str) -> bool:
    """Plain digits of a size a row number can have (int() of thousands of digits is refused, and slow)."""
    return text.isascii() and text.isdigit() and len(text) <= 18


class _Reader:
    def __init__(self, found: RoundFacts) -> None:
        facts = found.facts
        self.spec = facts.spec
        self.as_of: AsOf = facts.as_of
        self.rows = row_index(facts.tallies)
        self.units = {u.name for u in facts.units}
        self.indicators = {e.code for e in self.spec.economic}
        self.figures_of: dict[str, list] = {}
        for fig in facts.figures:
            self.figures_of.setdefault(fig.unit, []).append(fig)
        self.problems: list[str] = []

    def fail(self, message: str, **params) -> None:
        self.problems.append(message % params)

    def number(self, label: str, text: str):
        try:
            return parse_decimal(text)
        except CellError as exc:
            self.fail(_("%(field)s: %(value)s is %(why)s"), field=label, value=text, why=str(exc))
            return None

    def row_of(self, text: str):
        found = self.rows.get(int(text)) if is_row_number(text) else None
        if found is None:
            self.fail(_("there is no ledger row %(row)s in this round"), row=text)
        return found

    def row_change(self, row_text: str, exclude: bool, quantity_text: str, points_text: str) -> RowChange | None:
        found = self.row_of(row_text)
        if found is None:
            return None
        tally, row = found
        rule = self.spec.rule(tally.rule)
        quantity = points = None
        if quantity_text:
            label = _("quantity of row %(row)s (%(rule)s)") % {"row": row.id, "rule": rule.code}
            quantity = self.number(label, quantity_text)
            if quantity is not None:
                self.check_quantity(label, rule.kind, quantity)
        if points_text:
            label = _("points of row %(row)s (%(rule)s)") % {"row": row.id, "rule": rule.code}
            if rule.kind != Kind.DISCRETIONARY:
                self.fail(_("%(field)s: only discretionary rules take points"), field=label)
            else:
                points = self.number(label, points_text)
                if points is not None:
                    self.check_range(label, rule, points)
        if not exclude and quantity is None and points is None:
            return None
        return RowChange(row.id, exclude=exclude, quantity=quantity, points=points)

    def check_quantity(self, label: str, kind: Kind, value) -> None:
        if kind == Kind.PROPORTIONAL and not 0 <= value <= 1:
            self.fail(_("%(field)s: a completion ratio is between 0 and 1, not %(value)s"), field=label, value=value)
        elif value < 0:
            self.fail(_("%(field)s: cannot be negative (%(value)s)"), field=label, value=value)
        elif kind in COUNT_KINDS and value != value.to_integral_value():
            self.fail(_("%(field)s: a count must be a whole number, not %(value)s"), field=label, value=value)

    def check_range(self, label: str, rule, value) -> None:
        low, high = rule.min_points, rule.max_points
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(_("%(field)s: %(value)s is outside this rule's range %(low)s … %(high)s"), field=label,
                      value=value, low=low, high=high)

    def figure_change(self, unit: str, indicator: str, actual_text: str, target_text: str) -> FigureChange | None:
        if unit not in self.units:
            return self.fail(_("there is no unit %(unit)s in this round"), unit=unit)
        if indicator not in self.indicators:
            return self.fail(_("there is no economic indicator %(code)s in this scheme"), code=indicator)
        values = {}
        for key, text, label in (("actual", actual_text, _("actual of %(unit)s, %(code)s")),
                                 ("target", target_text, _("target of %(unit)s, %(code)s"))):
            if not text:
                continue
            label = label % {"unit": unit, "code": indicator}
            value = self.number(label, text)
            if value is not None and value < 0:
                self.fail(_("%(field)s: cannot be negative (%(value)s)"), field=label, value=value)
            elif value is not None:
                values[key] = value
        if not values:
            return None
        scored = latest_figures(self.figures_of.get(unit, []), self.as_of).get(indicator)
        if scored is None and len(values) < 2:
            return self.fail(_("%(unit)s has no figure for %(code)s yet: give both the actual and the target"),
                             unit=unit, code=indicator)
        return FigureChange(unit, indicator, values.get("actual"), values.get("target"))

    def amount_change(self, unit: str, code: str, text: str) -> AmountChange | None:
        if unit not in self.units:
            return self.fail(_("there is no unit %(unit)s in this round"), unit=unit)
        rule = self.spec.rule(code)
        if rule is None:
            return self.fail(_("there is no rule %(code)s in this scheme"), code=code)
        label = _("amount of %(unit)s, %(code)s") % {"unit": unit, "code": code}
        if rule.kind != Kind.DISCRETIONARY:
            return self.fail(_("%(field)s: only discretionary rules take an amount"), field=label)
        value = self.number(label, text)
        if value is None:
            return None
        self.check_range(label, rule, value)
        return AmountChange(unit, code, value)


def read_scenario(round_, data, found: RoundFacts | None = None) -> Scenario:
    """A scenario from a form's fields (a QueryDict or a dict of lists). Every problem is named at once in one
    refusal: an unknown row, unit, indicator or rule, a value that is not a number, a negative one."""
    reader = _Reader(found or round_facts(round_))
    getlist = data.getlist if hasattr(data, "getlist") else (lambda key: list(data.get(key, ())))
    excluded = {text.strip() for text in getlist("exclude") if text.strip()}
    row_texts: dict[str, dict[str, str]] = {}
    figure_texts: dict[tuple[str, str], dict[str, str]] = {}
    amounts = []
    for key in data:
        values = getlist(key)
        text = (values[-1] if values else "").strip()
        if not text:
            continue
        if key.startswith(ROW_FIELDS):
            field, _dash, row = key.partition("-")
            row_texts.setdefault(row, {})[field] = text
        elif key.startswith(FIGURE_FIELDS):
            field, _colon, rest = key.partition(":")
            unit, _colon, indicator = rest.rpartition(":")
            figure_texts.setdefault((unit, indicator), {})[field] = text
        elif key.startswith(AMOUNT_FIELD):
            unit, _colon, code = key[len(AMOUNT_FIELD):].rpartition(":")
            amounts.append(reader.amount_change(unit, code, text))
    rows = [reader.row_change(row, row in excluded, texts.get("quantity", ""), texts.get("points", ""))
            for row, texts in row_texts.items()]
    rows += [reader.row_change(row, True, "", "") for row in sorted(excluded - set(row_texts))]
    figures = [reader.figure_change(unit, indicator, texts.get("actual", ""), texts.get("target", ""))
               for (unit, indicator), texts in figure_texts.items()]
    if reader.problems:
        raise Refused("bad_scenario", _("The scenario was not recomputed: %(problems)s"),
                      problems="; ".join(reader.problems))
    return Scenario(tuple(c for c in rows if c), tuple(c for c in figures if c), tuple(c for c in amounts if c))


# ------------------------------------------------------------------------------------------ the panel's data

def panel(round_, found: RoundFacts | None = None, detailed: set[str] | frozenset[str] = frozenset()) -> list[dict]:
    """Per unit (in ranking order): its name, group and number of ledger rows; for the ``detailed`` units also
    the rows, the economic figures as scored and the discretionary amounts. A round of forty units holds
    thousands of rows: the page shows a unit's only when it is opened."""
    found = found or round_facts(round_)
    facts = found.facts
    by_unit = {u.name: {"unit": u.name, "group": u.group, "count": 0, "detailed": u.name in detailed}
               for u in facts.units}
    for tally in facts.tallies:
        entry = by_unit.get(tally.unit)
        if entry is not None:
            entry["count"] += len(tally.rows)
    for name in detailed & by_unit.keys():
        by_unit[name].update(unit_editor(found, name))
    order = {u.unit: (u.group, u.rank is None, u.rank or 0, u.unit) for u in found.real.units}
    return sorted(by_unit.values(), key=lambda e: order.get(e["unit"], (e["group"], True, 0, e["unit"])))


def unit_editor(found: RoundFacts, name: str) -> dict:
    """One unit's rows (by date), economic figures as scored and discretionary amounts (the net of their rows)."""
    facts = found.facts
    spec = facts.spec
    amounts = {r.code: None for r in spec.rules if r.kind == Kind.DISCRETIONARY}
    rows = []
    for tally in facts.tallies:
        if tally.unit != name:
            continue
        rows.extend({"id": row.id, "rule": tally.rule, "date": row.date, "quantity": row.quantity,
                     "points": row.points, "note": row.note} for row in tally.rows)
        if tally.rule in amounts:
            amounts[tally.rule] = tally.points
    rows.sort(key=lambda r: (r["date"], r["id"]))
    chosen = latest_figures([f for f in facts.figures if f.unit == name], facts.as_of)
    return {"rows": rows, "figures": [{"indicator": e.code, "name": e.name, "figure": chosen.get(e.code)}
                                      for e in spec.economic],
            "amounts": list(amounts.items())}


def describe_changes(scenario: Scenario, found: RoundFacts) -> list[dict]:
    """Each change as a reader (and an export) lists it: what, whose, which field, the real and the new value."""
    facts = found.facts
    rows = row_index(facts.tallies)
    described = []
    for change in scenario.rows:
        tally, row = rows[change.row]
        base = {"kind": "row", "unit": tally.unit, "code": tally.rule, "row": row.id, "date": row.date}
        if change.exclude:
            described.append({**base, "field": "excluded", "real": None, "scenario": None})
            continue
        for field, new, old in (("quantity", change.quantity, row.quantity), ("points", change.points, row.points)):
            if new is not None:
                described.append({**base, "field": field, "real": old, "scenario": new})
    figures_of: dict[str, list] = {}
    for fig in facts.figures:
        figures_of.setdefault(fig.unit, []).append(fig)
    for change in scenario.figures:
        current = latest_figures(figures_of.get(change.unit, []), facts.as_of).get(change.indicator)
        for field, new in (("actual", change.actual), ("target", change.target)):
            if new is not None:
                described.append({"kind": "figure", "unit": change.unit, "code": change.indicator, "row": None,
                                  "date": str(current.month) if current else str(facts.as_of), "field": field,
                                  "real": getattr(current, field) if current else None, "scenario": new})
    amounts = {(t.unit, t.rule): t.points for t in facts.tallies}
    for change in scenario.amounts:
        described.append({"kind": "amount", "unit": change.unit, "code": change.rule, "row": None, "date": "",
                          "field": "points", "real": amounts.get((change.unit, change.rule)),
                          "scenario": change.points})
    return described
