"""``{% my_review_work %}``: ratings to give, objectives to report on and progress to review, for the inbox
and a person's home; each link only for someone who has that work."""

from django import template

from kaohe.services.progress import tasks_owned, unreviewed_count
from kaohe.services.rating_entry import open_assignments

register = template.Library()


@register.inclusion_tag("kaohe/my_review_work.html", takes_context=True)
def my_review_work(context):
    user = context["request"].user
    return {"to_rate": open_assignments(user).count(), "owns_tasks": tasks_owned(user).exists(),
            "to_review": unreviewed_count(user)}
