"""Building next year's scheme without a programmer: copy a scheme, with every setting, to a new year."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kaohe.models import EconomicIndicator, Indicator, Rule, Scheme, SchemeGroup
from kaohe.permissions import can_edit_scheme
from kaohe.workflow.route import RouteRefused


@transaction.atomic
def do_copy_scheme(scheme: Scheme, *, year: int, acting_user) -> Scheme:
    if not can_edit_scheme(acting_user):
        raise PermissionDenied("only an administrator edits schemes")
    code = f"{scheme.family}-{year}"
    if Scheme.objects.filter(code=code).exists():
        raise RouteRefused("scheme_exists", f"{code} already exists")
    if not 2000 <= year <= 2100:
        raise RouteRefused("bad_year", "the year must be between 2000 and 2100")
    copy = Scheme.objects.create(
        code=code, name=scheme.name.replace(str(scheme.year), str(year)), year=year, family=scheme.family,
        decimal_places=scheme.decimal_places, tie_breakers=scheme.tie_breakers,
    )
    indicators: dict[int, Indicator] = {}
    for item in scheme.indicators.order_by("order", "id"):
        indicators[item.pk] = Indicator.objects.create(
            scheme=copy, code=item.code, name=item.name, parent=indicators.get(item.parent_id), base=item.base,
            floor=item.floor, cap=item.cap, section=item.section, order=item.order,
        )
    for rule in scheme.rules.order_by("order", "id"):
        Rule.objects.create(
            scheme=copy, indicator=indicators.get(rule.indicator_id), code=rule.code, name=rule.name, kind=rule.kind,
            amount=rule.amount, min_points=rule.min_points, max_points=rule.max_points, bands=rule.bands,
            order=rule.order,
        )
    for econ in scheme.economic_indicators.all():
        EconomicIndicator.objects.create(scheme=copy, code=econ.code, name=econ.name, weight=econ.weight,
                                         in_veto=econ.in_veto, order=econ.order)
    for group in scheme.groups.all():
        SchemeGroup.objects.create(scheme=copy, group=group.group, first_prizes=group.first_prizes,
                                   second_prizes=group.second_prizes, third_prizes=group.third_prizes)
    return copy
