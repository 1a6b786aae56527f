"""What a notification says, by key: stored as a key and its parameters, worded when someone reads it.

A notice is rendered in the reader's language at the moment it is shown (the inbox, the badge, an email in
the recipient's language), so the same row reads in Chinese for one user and in English for another.
Parameters are names (rounds, sections, units), which are data and stay as written.
"""

from django.utils.translation import gettext_lazy as _

from kaohe.doctype.route_names import step_name

MESSAGES = {
    "submit": _("%(section)s · %(unit)s: the score sheet was submitted and waits for signature"),
    "sign": _("%(section)s · %(unit)s: the score sheet was signed"),
    "return": _("%(section)s · %(unit)s: the score sheet was returned"),
    "send_back": _("%(section)s · %(unit)s: the director's meeting sent the score sheet back for rescoring"),
    "object": _("%(unit)s filed an objection to the scores of %(section)s"),
    "collect": _("%(round)s was collected and waits for the director's meeting to decide"),
    "reopen": _("%(round)s was sent back for rescoring"),
    "recollect": _("%(round)s was collected again after an objection changed a score; the meeting decides the "
                   "new version"),
    "decide": _("%(round)s was decided and waits for publication"),
    "decide:approve": _("%(round)s: a member of the meeting approved the result"),
    "publish": _("%(round)s: the results are published"),
    "close": _("%(round)s was archived"),
    "objection_answered": _("Your objection was answered: %(section)s"),
}
GENERIC = _("%(round)s: step %(action)s")


def render(key: str, params: dict) -> str:
    """The notice in the active language; a parameter the wording does not use is ignored."""
    template = MESSAGES.get(key, GENERIC)
    values = {"round": "", "section": "", "unit": "", "action": step_name(key), **(params or {})}
    return str(template) % values
