"""The shipped route's states and steps in the reader's language (data: the words, not the route's rules)."""

from django.utils.translation import gettext_lazy as _

# The shipped routes' words in the reader's language. A label an administrator changed is shown as written;
# a label still as shipped (the Chinese of kaohe.workflow.defaults) reads in the reader's language.
STATE_NAMES = {
    "draft": ("草稿", _("draft")),
    "submitted": ("已提交", _("submitted")),
    "signed": ("已签署", _("signed")),
    "returned": ("退回", _("returned")),
    "open": ("进行中", _("open")),
    "collected": ("已汇总", _("collected")),
    "decided": ("已审定", _("decided")),
    "published": ("已公布", _("published")),
    "closed": ("已归档", _("archived")),
}
STEP_NAMES = {
    "submit": ("提交", _("submit")),
    "sign": ("签署", _("sign")),
    "return": ("退回", _("return")),
    "send_back": ("发回重评", _("send back for rescoring")),
    "object": ("申诉", _("file an objection")),
    "collect": ("汇总", _("collect")),
    "reopen": ("发回重评", _("send back for rescoring")),
    "decide": ("审定", _("decide")),
    "publish": ("公布", _("publish")),
    "recollect": ("重新汇总", _("collect again")),
    "close": ("归档", _("archive")),
}


def _shown(names: dict, code: str, label: str | None) -> str:
    shipped = names.get(code)
    if shipped and (not label or label == shipped[0]):
        return str(shipped[1])
    return label or code


def state_name(code: str, label: str | None = None) -> str:
    """A state's name for people: ``draft`` → 草稿 / draft, or the administrator's own label."""
    return _shown(STATE_NAMES, code, label)


def step_name(action: str, label: str | None = None) -> str:
    """A route step's name for people: ``send_back`` → 发回重评 / send back for rescoring."""
    return _shown(STEP_NAMES, action.split(":")[0], label)
