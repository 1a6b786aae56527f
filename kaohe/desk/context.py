"""Template context every Desk page needs: unread notices and whether the user is only a unit."""

from kaohe.permissions import is_unit_only
from kaohe.workflow.states import RoundState, SheetState, Step


def desk(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "SHEET": SheetState, "ROUND": RoundState, "STEP": Step,
        "unread": user.notifications.filter(read_at__isnull=True).count(),
        "user_is_unit_only": is_unit_only(user),
    }
