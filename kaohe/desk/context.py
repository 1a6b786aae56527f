"""Template context every Desk page needs: unread notices and whether the user is only a unit."""

from kaohe.permissions import roles


def desk(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    r = roles(user)
    return {
        "unread": user.notifications.filter(read_at__isnull=True).count(),
        "user_is_unit_only": bool(r.units) and not r.bureau,
    }
