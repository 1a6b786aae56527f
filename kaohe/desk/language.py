"""Emails follow the language a user works in: the one their browser chose when they last logged in."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from kaohe.actions.profiles import do_set_language


@receiver(user_logged_in, dispatch_uid="kaohe.remember_language")
def remember_language(sender, request, user, **kwargs):
    if request is not None:
        do_set_language(user, translation.get_language_from_request(request), acting_user=user)
