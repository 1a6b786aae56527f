"""Templates written by administrators run in Jinja2's immutable sandbox over plain data.

The context holds only dicts, lists, strings and numbers built for it (``kaohe.printing.context``): no
ORM object, no request, no settings. The sandbox refuses attribute names starting with ``_`` (so
``__class__``, ``__subclasses__``, ``__globals__``), the attributes of functions and methods
(``func_globals``, ``mro`` reached through a class) and any call that would change a list or dict.
``StrictUndefined`` makes a misspelt name an error the editor shows, instead of an empty cell.
"""

from __future__ import annotations

import types
from functools import lru_cache

from django.utils.translation import gettext as _
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

LIMIT = 2_000_000  # characters of HTML a template may produce: a runaway loop is refused, not served


class TemplateProblem(Exception):
    """A template that does not compile or fails while rendering, with the line it failed on."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line:
            return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


CODE_LIKE = (type, types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.BuiltinMethodType,
             types.ModuleType, types.CodeType, types.FrameType, types.GeneratorType, types.MethodWrapperType,
             types.WrapperDescriptorType)


class _Sandbox(ImmutableSandboxedEnvironment):
    def is_safe_attribute(self, obj, attr, value) -> bool:
        # Beyond the sandbox's own rules: nothing of a class, a function or a module is readable at all
        # (``mro``, ``func_globals``, ``__code__``…), only data.
        if isinstance(obj, CODE_LIKE):
            return False
        return super().is_safe_attribute(obj, attr, value)


ENV = _Sandbox(undefined=StrictUndefined, autoescape=True, trim_blocks=True, lstrip_blocks=True)
for _name in ("lipsum", "cycler", "joiner"):  # helpers no print format needs: less to reason about
    ENV.globals.pop(_name, None)


def _line_of(error: Exception) -> int | None:
    if isinstance(error, TemplateSyntaxError):
        return error.lineno
    # Jinja rewrites a rendering error's traceback so that template frames carry the template's own line.
    line, trace = None, error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


@lru_cache(maxsize=32)
def _compiled(source: str):
    return ENV.from_string(source)  # compiling costs more than rendering one document: once per source


def render(source: str, context: dict) -> str:
    """The template's HTML, or :class:`TemplateProblem` naming the line and what went wrong."""
    try:
        html = _compiled(source).render(context)
    except SecurityError as error:
        raise TemplateProblem(_("not allowed in a print format: %(what)s") % {"what": error}, _line_of(error)) from None
    except TemplateError as error:
        raise TemplateProblem(str(error.message or error), _line_of(error)) from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError, RecursionError) as error:
        raise TemplateProblem(f"{type(error).__name__}: {error}", _line_of(error)) from None
    if len(html) > LIMIT:
        raise TemplateProblem(_("the template produced more than %(limit)s characters") % {"limit": LIMIT}, None)
    return html
