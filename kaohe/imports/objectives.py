"""An objectives tree: ``code,name,weight,owner`` and optionally ``target,kind,cap,rule``.

The parent comes from the code (``1.2.3`` belongs to ``1.2``). Weights under one parent must add
to 100. A leaf is a task: ``kind`` is ratio (default), capped (needs ``cap``) or lower_better, and
progress entries name it by ``rule`` (default: its code). The file is the whole tree: nodes that are
not in it are removed, unless progress was already recorded against them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kaohe.doctype.scheme_check import weight_shortfalls
from kaohe.models import Indicator, Rule, Scheme, Unit
from kaohe.scoring import Method
from kaohe.scoring.spec import TARGET_KINDS

from .errors import ImportRejected, RowError
from .fields import CellError, column_limits, fold, parse_decimal
from .reader import read_table

COLUMNS = (["code", "name", "weight", "owner"], ["target", "kind", "cap", "rule"])  # required, optional

KINDS = sorted(str(k) for k in TARGET_KINDS)
# Each column is checked against the database column it is written to.
LIMITS = {"weight": column_limits(Indicator, "weight"), "target": column_limits(Indicator, "target"),
          "cap": column_limits(Rule, "max_points")}


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def validate_objectives(data: bytes, filename: str, scheme: Scheme) -> list[dict]:
    if scheme.method != Method.OBJECTIVES:
        raise ImportRejected([RowError(0, "", scheme.code, "not_objectives",
                _("this scheme is not an objectives tree"))])
    table = read_table(data, filename, *COLUMNS)
    units = set(Unit.objects.filter(group_id__in=scheme.groups.values_list("group_id", flat=True))
                .values_list("name", flat=True))
    errors: list[RowError] = []
    nodes: dict[str, dict] = {}
    for line, cells in table.rows:
        bad = len(errors)

        def fail(column: str, code: str, message: str, cells=cells, line=line) -> None:
            errors.append(RowError(line, column, cells.get(column, ""), code, message))

        code = fold(cells["code"])
        if not code:
            fail("code", "required", _("a code is required"))
        elif code in nodes:
            fail("code", "duplicate_row", _("this code is already on line %(line)s") % {"line": nodes[code]["line"]})
        if not cells["name"]:
            fail("name", "required", _("a name is required"))
        if cells["owner"] not in units:
            fail("owner", "unknown_unit",
                _("not a person or department assessed under %(scheme)s") % {"scheme": scheme.code})
        node = {"line": line, "code": code, "name": cells["name"], "owner": cells["owner"],
                "rule": fold(cells.get("rule", "")) or code, "kind": fold(cells.get("kind", "")) or "ratio"}
        for column in ("weight", "target", "cap"):
            node[column] = None
            if cells.get(column):
                try:
                    node[column] = parse_decimal(cells[column], **LIMITS[column])
                except CellError as exc:
                    fail(column, exc.code, str(exc))
        if not cells["weight"]:
            fail("weight", "required", _("a weight in percent is required"))
        elif node["weight"] is not None and node["weight"] <= 0:
            fail("weight", "not_positive", _("a weight must be above zero"))
        if node["kind"] not in KINDS:
            fail("kind", "unknown_kind", _("expected one of %(expected)s") % {"expected": ", ".join(KINDS)})
        if node["kind"] == "capped" and node["cap"] is None:
            fail("cap", "required", _("a capped task needs its cap (e.g. 120)"))
        if len(errors) == bad:
            nodes[code] = node
    for node in nodes.values():
        parent = parent_code(node["code"])
        if parent and parent not in nodes:
            errors.append(RowError(node["line"], "code", node["code"], "unknown_parent",
                _("no node %(parent)s above it") % {"parent": parent}))
    parents = {parent_code(c) for c in nodes}
    for node in nodes.values():
        if node["code"] not in parents and node["target"] is None:
            errors.append(RowError(node["line"], "target", "", "required", _("a task needs a measurable target")))
    # every node kept has its weight (a row without one was refused above), so only sums can be off
    _unweighted, shortfalls = weight_shortfalls([(n["code"], parent_code(n["code"]), n["weight"], None)
                                                 for n in nodes.values()])
    for parent, _group, total, family in shortfalls:
        where = _("under %(parent)s") % {"parent": parent} if parent else _("at the top")
        listed = ", ".join(_("%(code)s (line %(line)s): %(weight)s") % {"code": code, "line": nodes[code]["line"],
                                                                           "weight": weight} for code, weight in family)
        errors.append(RowError(nodes[family[0][0]]["line"], "weight", str(total), "weights_not_100",
                               _("the weights %(where)s add to %(total)s, not 100: %(listed)s") % {
                                   "where": where, "total": total, "listed": listed}))
    rule_codes = [n["rule"] for n in nodes.values() if n["code"] not in parents]
    for node in nodes.values():
        if node["code"] not in parents and rule_codes.count(node["rule"]) > 1:
            errors.append(RowError(node["line"], "rule", node["rule"], "duplicate_rule",
                _("two tasks share this rule")))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))
    for node in nodes.values():
        node["leaf"] = node["code"] not in parents
    return list(nodes.values())
