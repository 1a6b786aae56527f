"""A user's own settings: the language their emails are written in."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kaohe.models import Profile
from kaohe.refusals import NotAllowed, Refused

from .audit import audit


@transaction.atomic
def do_set_language(user, language: str, *, acting_user) -> bool:
    """Remember the language ``user`` reads in (for email); True when it changed. Only for oneself."""
    if acting_user.pk != user.pk:
        raise NotAllowed("not_yourself", _("Only the user themselves chooses their language."))
    if language not in dict(settings.LANGUAGES):
        raise Refused("unknown_language", _("“%(language)s” is not a language of this site."), language=language)
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    if profile.language == language:
        return False
    before, profile.language = profile.language, language
    profile.save(update_fields=["language"])
    audit(acting_user, "profile.language", target=user, before={"language": before}, after={"language": language})
    return True
