"""The xlsx template of each import: the header, one example row, drop-down lists of the values a column takes
(the scheme's units, the rules the reader may record …) kept on a hidden sheet, a frozen header and widths."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kaohe.imports.kinds import ImportKind
from kaohe.models import RaterGroup, Rule, Scheme, Unit, UnitGroup
from kaohe.permissions import can_record
from kaohe.scoring.spec import ENTERED_KINDS, WEIGHTED_KINDS, Kind

VALIDATED_ROWS = 5000  # the drop-downs reach this far down the sheet
WIDTHS = {"note": 40, "name": 24, "unit": 18, "ratee": 18, "owner": 18, "rater": 16, "date": 12}
MARK = PatternFill("solid", fgColor="DDEBF7")


def _assessed_units(scheme: Scheme) -> list[str]:
    groups = scheme.groups.values_list("group_id", flat=True)
    return list(Unit.objects.filter(group_id__in=groups, active=True).order_by("group__code", "name")
                .values_list("name", flat=True))


def _entered_rules(scheme: Scheme, user) -> list[str]:
    rules = scheme.rules.filter(kind__in=list(ENTERED_KINDS)).values_list("code", "indicator__section_id")
    return [code for code, section in rules.order_by("id") if can_record(user, section)]


def choices(kind: ImportKind, scheme: Scheme | None, user) -> dict[str, list[str]]:
    """column → the values it takes, for the columns whose values come from a list."""
    found = {}
    for column, source in kind.lists.items():
        if source == "unit_groups":
            values = list(UnitGroup.objects.order_by("code").values_list("code", flat=True))
        elif scheme is None:
            continue
        elif source == "units":
            values = (list(Unit.objects.filter(active=True).order_by("name").values_list("name", flat=True))
                      if kind.code == "economy" else _assessed_units(scheme))
        elif source == "entered_rules":
            values = _entered_rules(scheme, user)
        elif source == "indicators":
            values = list(scheme.economic_indicators.order_by("id").values_list("code", flat=True))
        elif source == "rating_rules":
            values = list(scheme.rules.filter(kind=Kind.RATING).order_by("id").values_list("code", flat=True))
        elif source == "measured_rules":
            measured = [k for k in WEIGHTED_KINDS if k != Kind.RATING]
            values = list(scheme.rules.filter(kind__in=measured).order_by("id").values_list("code", flat=True))
        elif source == "sources":
            values = list(scheme.sources.order_by("id").values_list("code", flat=True))
        elif source == "rater_groups":
            values = sorted(set(RaterGroup.objects.filter(source__scheme=scheme).values_list("code", flat=True)))
        else:
            continue
        found[column] = values
    return found


def example_row(kind: ImportKind, scheme: Scheme | None, lists: dict[str, list[str]]) -> dict[str, str]:
    """One plausible row: the first value of each list, and a typical value elsewhere."""
    year = scheme.year if scheme else 2026
    typical = {"quantity": "1", "date": f"{year}-03-05", "note": _("an example: replace or delete this row"),
               "target": "100", "actual": "80", "weight": "100", "name": _("Example"), "code": "1", "rating": "A",
               "period": str(year), "rater": "zhangsan", "kind": "ratio", "group": ""}
    row = {column: (lists[column][0] if lists.get(column) else typical.get(column, "")) for column in kind.columns}
    if kind.code == "ledger" and row.get("rule") and scheme is not None:
        rule = Rule.objects.filter(scheme=scheme, code=row["rule"]).first()
        if rule is not None and rule.kind == Kind.DISCRETIONARY:
            row["points"] = f"{rule.max_points.normalize():f}"
    if kind.code == "units":
        row["name"] = _("Example town")
    return row


def template_workbook(kind: ImportKind, scheme: Scheme | None, user) -> bytes:
    lists = choices(kind, scheme, user)
    book = Workbook()
    sheet = book.active
    sheet.title = kind.code
    sheet.append(kind.columns)
    example = example_row(kind, scheme, lists)
    sheet.append([example[c] for c in kind.columns])
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        head = sheet.cell(row=1, column=index)
        head.font = Font(bold=True)
        if column in kind.required:
            head.fill = MARK
        sheet.column_dimensions[letter].width = WIDTHS.get(column, 14)
    sheet.freeze_panes = "A2"
    if lists:
        hidden = book.create_sheet("lists")
        hidden.sheet_state = "hidden"
        for index, (column, values) in enumerate(lists.items(), start=1):
            letter = get_column_letter(index)
            hidden.cell(row=1, column=index, value=column)
            for row, value in enumerate(values, start=2):
                hidden.cell(row=row, column=index, value=value)
            if not values:
                continue
            rule = DataValidation(type="list", formula1=f"=lists!${letter}$2:${letter}${len(values) + 1}",
                                  allow_blank=True, showErrorMessage=True, errorStyle="warning")
            target = get_column_letter(kind.columns.index(column) + 1)
            rule.add(f"{target}2:{target}{VALIDATED_ROWS + 1}")
            sheet.add_data_validation(rule)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
