"""Templates written by administrators cannot reach beyond the plain data they are given."""

import pytest

from kaohe.printing.sandbox import TemplateProblem, render

CONTEXT = {"unit": {"name": "城关镇", "total": "94.5"}, "rows": ["a", "b"]}

ESCAPES = [
    "{{ unit.__class__ }}",
    "{{ unit.__class__.__mro__ }}",
    "{{ ''.__class__.mro() }}",
    "{{ ''.__class__.__base__.__subclasses__() }}",
    "{{ [].__class__.__base__.__subclasses__() }}",
    "{{ unit|attr('__class__') }}",
    "{{ config }}",
    "{{ config.SECRET_KEY }}",
    "{{ request }}",
    "{{ request.environ }}",
    "{{ settings }}",
    "{{ self._TemplateReference__context }}",
    "{{ range.__globals__ }}",
    "{{ range.__call__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ dict.mro() }}",
    "{{ unit.items.__self__ }}",
    "{{ unit.get.__globals__ }}",
    "{{ '{0.__class__}'.format(unit) }}",
    "{{ rows.append('x') }}",
    "{{ unit.update({'total': '100'}) }}",
    "{{ lipsum.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{% for c in ''.__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_each_usual_escape_is_refused(source):
    with pytest.raises(TemplateProblem):
        render(source, CONTEXT)


def test_plain_data_renders_and_is_escaped():
    assert render("{{ unit.name }} {{ unit.total }} {{ rows|join(',') }}", CONTEXT) == "城关镇 94.5 a,b"
    assert render("{{ x }}", {"x": "<script>"}) == "&lt;script&gt;"


def test_a_syntax_error_names_its_line():
    with pytest.raises(TemplateProblem) as problem:
        render("<p>\n{{ unit.name }}\n{% for x in %}\n", CONTEXT)
    assert problem.value.line == 3


def test_a_runtime_error_names_its_line():
    with pytest.raises(TemplateProblem) as problem:
        render("one\ntwo\n{{ unit.missing }}", CONTEXT)
    assert problem.value.line == 3 and "missing" in problem.value.message


def test_a_runaway_template_is_stopped():
    with pytest.raises(TemplateProblem):
        render("{% for a in range(3000) %}{% for b in range(1000) %}x{% endfor %}{% endfor %}", CONTEXT)
