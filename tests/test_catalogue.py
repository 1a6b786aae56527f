"""One language throughout: the committed catalogue covers every marked string, and nothing a user reads is unmarked.

``makemessages`` runs into a temporary copy of the catalogue, so the check sees exactly what a developer's
``makemessages`` would add: a new or changed msgid shows up there untranslated (or fuzzy, when gettext
guesses from a similar one) and fails here until the catalogue is filled in.
"""

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "kaohe" / "locale"
TEMPLATES = ROOT / "kaohe" / "templates"
IGNORED = [".venv", "tests", "bench", "scripts", "fixtures", "docs", "build", "*.egg-info"]


def _entries(po: Path, *flags: str) -> list[str]:
    out = subprocess.run(["msgattrib", "--no-wrap", *flags, str(po)], capture_output=True, text=True, check=True).stdout
    return [m for m in re.findall(r'^msgid "(.*)"$', out, re.M) if m]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """``makemessages`` over a copy of the source tree, so the committed catalogue is never touched (makemessages
    writes into every ``locale`` directory it finds under the tree it walks)."""
    tree = tmp_path_factory.mktemp("catalogue")
    shutil.copytree(ROOT / "kaohe", tree / "kaohe", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    copy = tree / "kaohe" / "locale"
    from django.test import override_settings

    here = os.getcwd()
    os.chdir(tree)
    try:
        with override_settings(LOCALE_PATHS=[str(copy)]):
            call_command("makemessages", locale=["zh_Hans"], ignore_patterns=IGNORED, verbosity=0, no_obsolete=True)
    finally:
        os.chdir(here)
    return copy / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_committed_catalogue_is_complete():
    po = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
    assert _entries(po, "--untranslated") == []
    assert _entries(po, "--only-fuzzy") == []


def test_source_strings_are_english():
    """English is the source language (the English UI reads the msgids); a Chinese gloss inside is fine."""
    po = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
    assert [m for m in _entries(po) if not re.search(r"[A-Za-z]{2}", m) and LETTERS.search(m)] == []


def test_every_marked_string_is_in_the_catalogue(regenerated):
    assert _entries(regenerated, "--untranslated") == [], "run makemessages and translate these"
    assert _entries(regenerated, "--only-fuzzy") == [], "gettext guessed these from similar ones: check them"


def test_the_compiled_catalogue_is_current():
    po = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    fresh = subprocess.run(["msgfmt", "-o", "-", str(po)], capture_output=True, check=True).stdout
    # compared as text, so another gettext version's byte layout does not matter
    unpacked = [subprocess.run(["msgunfmt", "-"], input=data, capture_output=True, check=True).stdout
                for data in (mo.read_bytes(), fresh)]
    assert unpacked[0] == unpacked[1], "run compilemessages"


# --- templates: literal text outside {% translate %} / {% blocktranslate %} ---------------------------------------

# Text that is the same in every language: the brand, the language switch naming each language in itself, and the
# bilingual error pages that must render even when the translation machinery is what failed (500) or the database
# holding the reader's session and language is down (503).
ALLOWED_TEXT = {"考核 kaohe", "中文", "English", "· kaohe", "SHA-256"}
ALLOWED_TEMPLATES = {"500.html", "503.html"}
VISIBLE_ATTRIBUTES = re.compile(r'\b(?:title|placeholder|alt|aria-label)="([^"]*)"')
LETTERS = re.compile(r"[A-Za-z\u4e00-\u9fff]")
TAG = "\x01"  # where a template tag or variable stood: it separates literal text like an element does


def _visible_text(html: str) -> list[str]:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    found = [value for value in VISIBLE_ATTRIBUTES.findall(html)]
    html = re.sub(r"<[^>]*>", "\n", html)
    html = re.sub(r"&[a-z]+;|&#\d+;", " ", html)
    found.append(html)
    parts = (p.strip() for text in found for line in text.split("\n") for p in line.split(TAG))
    return [p for p in parts if LETTERS.search(p) and p not in ALLOWED_TEXT]


def unmarked_template_text(source: str) -> list[str]:
    """Literal text a user would read, outside translation tags and variables."""
    text, inside_block = [], False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.TEXT:
            text.append(TAG if inside_block else token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            inside_block = name in {"blocktranslate", "blocktrans"} or (
                inside_block and name not in {"endblocktranslate", "endblocktrans"})
        text.append(TAG)
    return _visible_text("".join(text))


def test_the_template_check_finds_literal_text():
    assert unmarked_template_text("<p>Save</p>") == ["Save"]
    assert unmarked_template_text('<input placeholder="名称">') == ["名称"]
    assert unmarked_template_text("<p>{% translate 'Save' %} · {{ n }}</p>") == []
    assert unmarked_template_text("{% blocktranslate %}Hello {{ n }}{% endblocktranslate %}") == []
    assert unmarked_template_text("<style>a{color:red}</style><td>{{ x|date:'Y-m-d' }}</td>") == []


@pytest.mark.parametrize("path", sorted(p for p in TEMPLATES.rglob("*.html") if p.name not in ALLOWED_TEMPLATES),
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_mark_every_visible_text(path):
    assert unmarked_template_text(path.read_text(encoding="utf-8")) == []


# --- Python: messages people read are built from gettext, never from bare literals ----------------------------------

# Calls whose message argument a user reads, and the index of that argument.
MESSAGE_ARGUMENT = {"Refused": 1, "NotAllowed": 1, "ValidationError": 0, "error": 1, "success": 1, "warning": 1,
                    "info": 1, "add_error": 1, "fail": 2, "RowError": 4}
# Keywords whose value a form, the admin or a page shows as a label.
LABEL_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label", "description"}
SOURCES = [p for p in (ROOT / "kaohe").rglob("*.py") if "migrations" not in p.parts and "management" not in p.parts]


def _literal(node) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str)
                                                and LETTERS.search(node.value) is not None)


def unmarked_python_messages(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        found += [f"line {node.lineno}: {k.arg}={ast.unparse(k.value)[:60]}" for k in node.keywords
                  if k.arg in LABEL_KEYWORDS and _literal(k.value)]
        if name not in MESSAGE_ARGUMENT:
            continue
        index = MESSAGE_ARGUMENT[name]
        args = node.args
        candidates = [args[index]] if -len(args) <= index < len(args) else []
        candidates += [k.value for k in node.keywords if k.arg in {"message", "msg"}]
        found += [f"line {node.lineno}: {ast.unparse(c)[:60]}" for c in candidates if _literal(c)]
    return found


def test_the_python_check_finds_bare_messages():
    assert unmarked_python_messages("raise Refused('x', f'no {a}')") == ["line 1: f'no {a}'"]
    assert unmarked_python_messages("raise Refused('x', _('no %(a)s'), a=a)") == []
    assert unmarked_python_messages("messages.error(request, 'Saved')") == ["line 1: 'Saved'"]
    assert unmarked_python_messages("forms.CharField(label='Name')") == ["line 1: label='Name'"]
    assert unmarked_python_messages("forms.CharField(label=_('Name'))") == []


@pytest.mark.parametrize("path", sorted(SOURCES), ids=lambda p: str(p.relative_to(ROOT)))
def test_python_marks_every_message(path):
    assert unmarked_python_messages(path.read_text(encoding="utf-8")) == []
