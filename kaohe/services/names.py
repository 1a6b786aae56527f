"""Names for the codes a result carries (items, rules, economic indicators, rating sources and rater groups,
veto reasons), so pages show what a person reads and keep the code only as a small secondary label."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from kaohe.models import EconomicIndicator, Indicator, RaterGroup, RatingSource, Rule

# Codes the engine itself writes into explanations, not rows of a scheme.
ENGINE_CODES = {
    "veto.economy": _("economic target missed (one-vote veto)"),
    "floor": _("floor: deductions stop here"),
    "cap": _("cap"),
    "economy": _("economic figures"),
    "measure": _("measured result"),
    "weights": _("weighted mean"),
    "ledger": _("ledger rows"),
    "quota": _("the grade's quota is full"),
    "tie at the quota": _("a tie straddles the grade's quota"),
    "no ratings": _("no ratings"),
    "nothing to score": _("nothing to score"),
}
# Rater groups every appraisal scheme uses, named when a scheme's own row has no name.
GROUP_CODES = {"self": _("self-assessment"), "superior": _("direct superior"), "peers": _("peers"),
               "subordinates": _("subordinates"), "all": _("all raters")}


@dataclass(frozen=True)
class SchemeNames:
    indicators: dict[str, str] = field(default_factory=dict)  # categories and items
    rules: dict[str, str] = field(default_factory=dict)
    economic: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)

    def reason(self, code: str) -> str:
        """A rule, an engine code (``veto.economy``, ``floor``) or the code itself when nothing names it."""
        return self.rules.get(code) or str(ENGINE_CODES.get(code, "")) or ""


def scheme_names(scheme) -> SchemeNames:
    """Five queries, each a flat code → name list of the scheme."""
    if scheme is None:
        return SchemeNames()
    groups = {code: str(name) for code, name in GROUP_CODES.items()}
    groups.update(RaterGroup.objects.filter(source__scheme=scheme).values_list("code", "name"))
    return SchemeNames(
        indicators=dict(Indicator.objects.filter(scheme=scheme).values_list("code", "name")),
        rules=dict(Rule.objects.filter(scheme=scheme).values_list("code", "name")),
        economic=dict(EconomicIndicator.objects.filter(scheme=scheme).values_list("code", "name")),
        sources=dict(RatingSource.objects.filter(scheme=scheme).values_list("code", "name")),
        groups=groups,
    )
