"""Template context every Desk page needs: unread notices and whether the user is only a unit."""

from django.utils.functional import SimpleLazyObject

from kaohe.doctype.route_names import state_name
from kaohe.models import State
from kaohe.permissions import can_import, can_record_anything, is_unit_only
from kaohe.services.inbox import todo_count
from kaohe.workflow.states import RoundState, SheetState, Step


def desk(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "SHEET": SheetState, "ROUND": RoundState, "STEP": Step,
        # state code → the route's name for it (草稿, 已签署 …), read once per page that shows any
        "SHEET_LABELS": SimpleLazyObject(lambda: _labels("sheet")),
        "ROUND_LABELS": SimpleLazyObject(lambda: _labels("round")),
        "unread": user.notifications.filter(read_at__isnull=True).count(),
        "todo": SimpleLazyObject(lambda: todo_count(user)),  # the inbox badge: what waits for me
        "user_is_unit_only": is_unit_only(user),
        "may_import_files": SimpleLazyObject(lambda: can_record_anything(user) or can_import(user)),
    }


def _labels(target: str) -> dict[str, str]:
    return {code: state_name(code, label)
            for code, label in State.objects.filter(workflow__target=target).values_list("code", "label")}
