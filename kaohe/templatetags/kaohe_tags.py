from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaohe.doctype.people import Role
from kaohe.doctype.route_names import state_name, step_name
from kaohe.numbers import plain as plain_text
from kaohe.services.names import ENGINE_CODES, GROUP_CODES, SchemeNames
from kaohe.services.names import scheme_names as scheme_names_of

register = template.Library()


@register.filter
def plain(value):
    """A score as people write it: 2.5, not 2.5000; anything else unchanged."""
    if isinstance(value, Decimal):
        return plain_text(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


@register.filter
def get(mapping, key):
    """``mapping[key]`` in a template, or None."""
    return mapping.get(key) if isinstance(mapping, dict) else None



# --- names, not codes: a person reads the name; the code stays as a small secondary label ----------------------


@register.simple_tag
def scheme_names(scheme) -> SchemeNames:
    """``{% scheme_names round.scheme as names %}``: code → name for the scheme's items, rules, indicators,
    rating sources and rater groups (``names.rules``, ``names.indicators`` …)."""
    return scheme_names_of(scheme)


@register.filter
def named(code, mapping):
    """``{{ line.rule|named:names.rules }}`` → 报表迟报 ``8.1.a``; an unnamed code, or an engine code
    (``veto.economy``, ``floor``) named by the engine's own words, is shown as it can be."""
    if code in (None, ""):
        return ""
    name = (mapping.get(code) if isinstance(mapping, dict) else None) or ENGINE_CODES.get(code) or GROUP_CODES.get(code)
    if not name or str(name) == str(code):
        return code
    return format_html('{} <small class="code muted">{}</small>', name, code)


@register.filter
def state_label(code) -> str:
    """A route state's code (``draft``) in the reader's language."""
    return state_name(str(code)) if code else ""


@register.filter
def step_label(action) -> str:
    """A route step's code (``send_back``, ``decide:approve``) in the reader's language."""
    return step_name(str(action)) if action else ""


@register.filter
def role_name(code) -> str:
    """A role code (``head``) as its name (分管领导 / section head)."""
    try:
        return Role(code).label
    except ValueError:
        return code or ""


@register.filter
def person(user) -> str:
    """A user by their name (王经办), the login only when no name is recorded."""
    if user is None or user == "":
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or str(user)


@register.filter
def person_role(user, role) -> str:
    """``{{ sig.user|person_role:sig.role }}`` → 李分管（分管领导）."""
    return _("%(person)s (%(role)s)") % {"person": person(user), "role": role_name(role)}


PRIZES = {1: _("first prize"), 2: _("second prize"), 3: _("third prize")}


@register.filter
def prize_name(level) -> str:
    """1 → 一等奖 / first prize; beyond the third, 第 n 等奖 / prize n."""
    if not level:
        return ""
    return str(PRIZES.get(level) or _("prize %(n)s") % {"n": level})


@register.filter
def bands_table(bands):
    """A rule's bands as a small table (limit → points) instead of a Python list."""
    if not bands:
        return ""
    pairs = ((band.get("limit", ""), band.get("points", "")) for band in bands if isinstance(band, dict))
    rows = format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", pairs)
    return format_html('<table class="bands small"><tr><th>{}</th><th>{}</th></tr>{}</table>',
                       _("limit"), _("points"), rows)


@register.filter
def named_each(codes, mapping):
    """A list of codes (rating sources left out, …) as their names, joined: 随机抽查、自评."""
    names = [(mapping.get(c) if isinstance(mapping, dict) else None) or ENGINE_CODES.get(c) or c for c in codes or ()]
    return pgettext_lazy("between the names of a list", ", ").join(str(n) for n in names)


COLUMNS = {"unit": _("Unit"), "rule": _("Rule"), "quantity": _("Quantity"), "points": _("Points"), "date": _("Date"),
           "note": _("Note"), "evidence": _("Evidence")}


@register.filter
def column_name(column) -> str:
    """A form or file column (``quantity``) by the label the form shows for it (数量 / Quantity)."""
    return str(COLUMNS.get(column, column or ""))
