"""``{% reports_for round as reports %}``: the reports of a round the user may run, for a row of links."""

from django import template

from kaohe.permissions import can_run_report
from kaohe.report.registry import REPORTS

register = template.Library()


@register.simple_tag(takes_context=True)
def reports_for(context, round_):
    user = context["request"].user
    return [(code, report.name) for code, report in REPORTS.items()
            if report.applies_to(round_.scheme) and can_run_report(user, code, round_)]
