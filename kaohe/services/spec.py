"""Turns a stored scheme into the engine's frozen :class:`SchemeSpec`."""

from __future__ import annotations

from decimal import Decimal

from kaohe.models import Scheme
from kaohe.scoring import (
    Band,
    EconomicSpec,
    GradeSpec,
    GroupSpec,
    ItemSpec,
    Kind,
    Method,
    RaterGroupSpec,
    RuleSpec,
    SchemeSpec,
    SourceSpec,
)


def scheme_spec(scheme: Scheme) -> SchemeSpec:
    indicators = list(scheme.indicators.select_related("parent", "applies_to", "owner").order_by("order", "id"))
    rules = list(scheme.rules.select_related("indicator").order_by("order", "id"))
    return SchemeSpec(
        code=scheme.code,
        year=scheme.year,
        places=scheme.decimal_places,
        tie_breakers=scheme.tie_breaker_list(),
        method=Method(scheme.method),
        sources=tuple(
            SourceSpec(s.code, s.name, s.weight,
                       tuple(RaterGroupSpec(g.code, g.name, g.weight, g.min_raters) for g in s.groups.all()),
                       tuple(s.criteria), s.calendar)
            for s in scheme.sources.prefetch_related("groups").order_by("order", "id")
        ),
        grades=tuple(GradeSpec(g.code, g.code, g.min_score, g.quota, g.needs_plan)
                     for g in scheme.grades.order_by("-min_score")),
        items=tuple(
            ItemSpec(
                code=i.code,
                name=i.name,
                base=i.base,
                parent=i.parent.code if i.parent else None,
                floor=i.floor,
                cap=i.cap,
                order=i.order,
                weight=i.weight,
                group=i.applies_to.code if i.applies_to else None,
                owner=i.owner.name if i.owner else None,
                target=i.target,
            )
            for i in indicators
        ),
        rules=tuple(
            RuleSpec(
                code=r.code,
                kind=Kind(r.kind),
                item=r.indicator.code if r.indicator else None,
                name=r.name,
                amount=r.amount,
                min_points=r.min_points,
                max_points=r.max_points,
                bands=tuple(Band(Decimal(str(b["limit"])), Decimal(str(b["points"]))) for b in r.bands),
            )
            for r in rules
        ),
        economic=tuple(
            EconomicSpec(code=e.code, name=e.name, weight=e.weight, in_veto=e.in_veto)
            for e in scheme.economic_indicators.order_by("order", "id")
        ),
        groups=tuple(
            GroupSpec(code=g.group.code, name=g.group.name, prizes=g.quotas())
            for g in scheme.groups.select_related("group")
        ),
    )
