"""``{% round_wide_links round %}``: the round-wide steps waiting for the user, as links to their confirmation."""

from django import template

from kaohe.permissions import can_view_rating_progress, inbox_scope

register = template.Library()


@register.inclusion_tag("kaohe/round_wide_links.html", takes_context=True)
def round_wide_links(context, round_):
    """Shown only to those who enter (submit) or sign for a section: a link nobody could use is not shown."""
    scope = inbox_scope(context["request"].user)
    progress = round_.scheme.sources.exists() and can_view_rating_progress(context["request"].user, round_)
    return {"round": round_, "fills": bool(scope["fill"]), "signs": bool(scope["sign"]), "progress": progress}
