"""`manage.py print_pdf`: a round by id or name, one unit, one section, or every unit into one PDF; and the
cache that makes an unchanged document a file read instead of a layout."""

import io

import pytest
from django.core.management import CommandError, call_command

from kaohe.actions.rounds import do_open_round
from kaohe.models import Round
from kaohe.printing import pdf as pdf_module

from .helpers import pdf_text, record_rows, squeeze

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("print_pdf", *args, stdout=out)
    return out.getvalue()


def test_every_unit_into_one_pdf_by_round_name(round_, people, tmp_path):
    record_rows(round_.scheme, people)
    out = tmp_path / "cards.pdf"
    said = run("scorecard", "--round", round_.name, "--out", str(out))  # scheme, year and period, unique
    assert "6 document(s) of scorecard v1, 6 draft(s)" in said
    flat = squeeze(pdf_text(out.read_bytes()))
    for unit in ("城关镇", "东山镇", "西河镇", "南湖镇", "开发区", "县机械厂"):
        assert f"{unit}考核得分表" in flat
    for line in said.splitlines()[1:]:  # each document's verification code is on the paper
        assert line.split(": ")[1] in flat


def test_one_unit_one_section_and_the_ranking_by_round_id(round_, tmp_path):
    out = tmp_path / "one.pdf"
    assert "1 document(s)" in run("scorecard", "--round", str(round_.pk), "--unit", "东山镇", "--out", str(out))
    assert "东山镇考核得分表" in squeeze(pdf_text(out.read_bytes()))
    said = run("section_sheet", "--round", str(round_.pk), "--section", "caitong", "--out", str(out))
    assert "6 document(s)" in said  # the section's sheet of each unit
    assert "1 document(s)" in run("announcement", "--round", str(round_.pk), "--out", str(out))


def test_what_the_command_refuses(round_, people, tmp_path):
    out = str(tmp_path / "x.pdf")
    with pytest.raises(CommandError, match="no print format 'nope'"):
        run("nope", "--round", str(round_.pk), "--out", out)
    with pytest.raises(CommandError, match="no round"):
        run("scorecard", "--round", "no such round", "--out", out)
    with pytest.raises(CommandError, match="无此镇"):
        run("scorecard", "--round", str(round_.pk), "--unit", "无此镇", "--out", out)
    Round.objects.filter(pk=round_.pk).update(state="closed")
    again = do_open_round(round_.scheme, name="2026年度考核", acting_user=people["admin"])
    assert again.name != round_.name  # a second round of the same period is told apart by its name
    run("scorecard", "--round", again.name, "--unit", "东山镇", "--out", out)
    assert (tmp_path / "x.pdf").exists()
    (tmp_path / "x.pdf").unlink()
    with pytest.raises(CommandError, match="no round"):
        run("scorecard", "--round", "2026年度考核", "--out", out)
    assert not (tmp_path / "x.pdf").exists()


def test_an_unchanged_document_comes_from_the_cache(round_, tmp_path, monkeypatch):
    out = tmp_path / "a.pdf"
    run("scorecard", "--round", str(round_.pk), "--unit", "城关镇", "--out", str(out))
    first = out.read_bytes()

    def no_layout(html):
        raise AssertionError("laid out again")

    monkeypatch.setattr(pdf_module, "render_pdf", no_layout)
    run("scorecard", "--round", str(round_.pk), "--unit", "城关镇", "--out", str(out))
    assert out.read_bytes() == first
