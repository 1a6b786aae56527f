"""Hostile and broken files through the real commands: each is refused with a CommandError that names the
line, the column and the value, and nothing is written. Numbers fit their database column or are refused."""

import csv
import io
import re
import tracemalloc
import zipfile
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from kaohe.imports import reader
from kaohe.imports.economy import validate_economy
from kaohe.imports.errors import ImportRejected
from kaohe.imports.fields import CellError, parse_date, parse_decimal
from kaohe.imports.ledger import validate_ledger
from kaohe.models import EconomicFigure, ImportBatch, LedgerEntry, Measurement, Rating, Unit
from kaohe.scoring import AsOf

from .helpers import xlsx_bytes

pytestmark = pytest.mark.django_db
LEDGER = "unit,rule,quantity,points,date,note\n"
ECONOMY = "unit,indicator,target,actual\n"
UNITS = "name,group\n城关镇,town\n东山镇,town\n西河镇,town\nABC镇,town\n"


def write(tmp_path, data, name="file.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return str(path)


def refused(*args) -> str:
    """Run a command that must refuse; its stderr, where every problem is named."""
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def accepted(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def cli_units(town, tmp_path):
    """The town scheme (``do_load_scheme("town", 2026)``) and its units, imported through the command."""
    accepted("import_units", write(tmp_path, UNITS, "units.csv"))
    return town


def ledger_refused(tmp_path, text, name="ledger.csv") -> str:
    err = refused("import_ledger", write(tmp_path, text, name), "--scheme", "town-2026")
    assert LedgerEntry.objects.count() == 0
    assert not ImportBatch.objects.filter(kind="ledger").exists()
    return err


# ---------------------------------------------------------------- one number parser, every column's limits


@pytest.mark.parametrize("column, row, value, says", [
    ("quantity", "城关镇,8.1.a,{},,2026-03-05,", "NaN", "not a finite number"),
    ("quantity", "城关镇,8.1.a,{},,2026-03-05,", "sNaN", "not a finite number"),
    ("quantity", "城关镇,8.1.a,{},,2026-03-05,", "Infinity", "not a finite number"),
    ("quantity", "城关镇,8.1.a,{},,2026-03-05,", "1e309", "too large"),
    ("quantity", "城关镇,8.1.a,{},,2026-03-05,", "1e30", "too large"),
    ("quantity", "城关镇,8.1.a,{},,2026-03-05,", "99999999999", "too large: at most 10 digits"),
    ("quantity", "城关镇,8.1.a,{},,2026-03-05,", "1.00001", "more than 4 decimal places"),
    ("quantity", "城关镇,8.1.a,{},,2026-03-05,", "\"1,5\"", "ambiguous comma"),
    ("quantity", "城关镇,8.1.a,{},,2026-03-05,", "\"1,23\"", "ambiguous comma"),
    ("points", "城关镇,7.a,,{},2026-03-05,台帐缺", "-1e-9", "more than 4 decimal places"),
    ("points", "城关镇,7.a,,{},2026-03-05,台帐缺", "\"-1,5\"", "ambiguous comma"),
    ("points", "城关镇,7.a,,{},2026-03-05,台帐缺", "-nan", "not a finite number"),
])
def test_a_ledger_number_that_does_not_fit_is_refused_by_name(cli_units, tmp_path, column, row, value, says):
    err = ledger_refused(tmp_path, LEDGER + "东山镇,8.1.a,1,,2026-03-01,\n" + row.format(value) + "\n")
    assert f"line 3, column {column}, value {value.strip(chr(34))!r}: {says}" in err


def test_full_width_digits_minus_and_thousands_still_work(cli_units, tmp_path):
    text = LEDGER + ("城关镇,8.1.a,２,,2026-03-05,\n东山镇,7.a,,－２．５,2026-03-06,台帐缺\n"
                     "西河镇,8.1.a,\"1,234\",,2026-03-07,\n")
    accepted("import_ledger", write(tmp_path, text), "--scheme", "town-2026")
    assert sorted(LedgerEntry.objects.values_list("quantity", "points")) == [
        (D(1), D("-2.5")), (D(2), None), (D(1234), None)]


@pytest.mark.parametrize("column, value, says", [
    ("target", "99999999999999999", "too large: at most 16 digits"),  # DECIMAL(20,4)
    ("actual", "1e17", "too large"),
    ("actual", "0.00001", "more than 4 decimal places"),
    ("target", "Infinity", "not a finite number"),
    ("actual", "\"12,5\"", "ambiguous comma"),
])
def test_an_economic_figure_that_does_not_fit_is_refused(cli_units, tmp_path, column, value, says):
    cells = {"target": "1000", "actual": "500", column: value}
    path = write(tmp_path, ECONOMY + f"城关镇,output,{cells['target']},{cells['actual']}\n")
    err = refused("import_economy", path, "--scheme", "town-2026", "--as-of", "2026-06")
    assert f"line 2, column {column}, value {value.strip(chr(34))!r}: {says}" in err
    assert EconomicFigure.objects.count() == 0


def test_large_economic_figures_fit(cli_units, tmp_path):
    # (SQLite keeps a DECIMAL as a double: a round trip holds 15 significant digits, MySQL all 20)
    path = write(tmp_path, ECONOMY + "城关镇,output,\"1,234,567,890.5\",1.5e3\n")
    accepted("import_economy", path, "--scheme", "town-2026", "--as-of", "2026-06")
    figure = EconomicFigure.objects.get()
    assert (figure.target, figure.actual) == (D("1234567890.5"), D(1500))
    assert parse_decimal("9,999,999,999,999,999.9999", max_digits=20, places=4) == D("9999999999999999.9999")


@pytest.fixture
def employee(db, tmp_path):
    from kaohe.actions.schemes import do_load_scheme

    scheme = do_load_scheme("employee", 2026)
    accepted("import_units", write(tmp_path, "name,group,user\n张三,kefu,zhangsan\n陈静,kefu,chenjing\n", "p.csv"))
    return scheme


@pytest.mark.parametrize("value, code_says", [
    ("88.555", "more than 2 decimal places"),  # DECIMAL(7,2)
    ("1e5", "too large: at most 5 digits"),
    ("\"88,5\"", "ambiguous comma"),
    ("NaN", "neither a letter"),
])
def test_a_rating_that_does_not_fit_is_refused(employee, tmp_path, value, code_says):
    path = write(tmp_path, "ratee,criterion,source,group,rater,rating,period\n"
                           f"张三,3.1,quarterly,,陈静,{value},2026-Q1\n")
    err = refused("import_ratings", path, "--scheme", "employee-2026")
    assert f"line 2, column rating, value {value.strip(chr(34))!r}: {code_says}" in err
    assert Rating.objects.count() == 0


@pytest.fixture
def kpi(db, tmp_path):
    from kaohe.actions.schemes import do_load_scheme

    scheme = do_load_scheme("dept_kpi", 2026)
    accepted("import_units", write(tmp_path, "name,group\n销售部,sales\n", "d.csv"))
    return scheme


@pytest.mark.parametrize("column, value, says", [
    ("actual", "1e16", "too large: at most 16 digits"),  # DECIMAL(20,4)
    ("target", "0.00001", "more than 4 decimal places"),
    ("actual", "-Infinity", "not a finite number"),
])
def test_a_measurement_that_does_not_fit_is_refused(kpi, tmp_path, column, value, says):
    cells = {"target": "8000", "actual": "9000", column: value}
    path = write(tmp_path, f"unit,indicator,target,actual,date\n销售部,sales.amount,{cells['target']},"
                           f"{cells['actual']},2026-06-30\n")
    err = refused("import_measures", path, "--scheme", "dept-kpi-2026")
    assert f"line 2, column {column}, value {value!r}: {says}" in err
    assert Measurement.objects.count() == 0


def test_parse_decimal_limits_directly():
    assert parse_decimal("９９９９９９９９９９", max_digits=14, places=4) == D(9999999999)
    assert parse_decimal("1,234,567.5") == D("1234567.5")
    assert parse_decimal("-0") == D(0) and not parse_decimal("-0").is_signed()
    assert parse_decimal("0e99999999999999999999") == D(0)
    for text, code in [("1e99999999999999999999", "too_large"), ("1e-99999999999999999999", "too_precise"),
                       ("12,3456", "ambiguous_comma"), ("1_000", "not_a_number"), ("1 000", "not_a_number"),
                       ("5" * 2000, "not_a_number"), ("0x10", "not_a_number"), ("1.5", "too_precise")]:
        with pytest.raises(CellError) as caught:
            parse_decimal(text, places=0 if text == "1.5" else None)
        assert caught.value.code == code, text


# ---------------------------------------------------------------- dates


def test_junk_after_a_date_is_refused(cli_units, tmp_path):
    err = ledger_refused(tmp_path, LEDGER + "城关镇,8.1.a,1,,2026-03-05abc,\n城关镇,8.1.a,1,,2026-03-05 junk,\n")
    assert "line 2, column date, value '2026-03-05abc': not a date" in err
    assert "line 3, column date, value '2026-03-05 junk': not a date" in err


def test_dates_as_people_and_excel_write_them(cli_units, tmp_path):
    text = LEDGER + ("城关镇,8.1.a,1,,2026/3/5,\n东山镇,8.1.a,1,,2026年3月6日,\n"
                     "西河镇,8.1.a,1,,2026-03-07 00:00:00,\nABC镇,8.1.a,1,,2026-03-08T08:30:00,\n")
    accepted("import_ledger", write(tmp_path, text), "--scheme", "town-2026")
    assert sorted(LedgerEntry.objects.values_list("date", flat=True)) == [date(2026, 3, d) for d in (5, 6, 7, 8)]
    with pytest.raises(CellError):
        parse_date("2026-03-05 24:00")


# ---------------------------------------------------------------- CSV


def test_an_unclosed_quote_is_refused_where_it_opened(cli_units, tmp_path):
    text = (LEDGER + "城关镇,8.1.a,1,,2026-03-05,ok\n城关镇,8.1.a,1,,2026-03-06,\"迟报\n"
            + "东山镇,8.1.a,1,,2026-03-07,x\n" * 3)
    err = ledger_refused(tmp_path, text)
    assert "line 3, column note, value '\"迟报': a quote opened on line 3 is never closed" in err


def test_an_unclosed_quote_swallowing_more_than_a_csv_field_holds(cli_units, tmp_path):
    text = LEDGER + "城关镇,\"8.1.a,1,,2026-03-06,\n" + "东山镇,8.1.a,1,,2026-03-07,x\n" * 10_000
    err = ledger_refused(tmp_path, text)
    assert "line 2, column rule, value '\"8.1.a,1,,2026-03-06,': a quote opened on line 2" in err


def test_quotes_that_close_are_fine(cli_units, tmp_path):
    text = LEDGER + "城关镇,8.1.a,1,,2026-03-05,\"迟报, \"\"两次\"\"\n补报\"\n东山镇,8.1.a,1,,2026-03-06,\"\"\n"
    accepted("import_ledger", write(tmp_path, text), "--scheme", "town-2026")
    assert sorted(LedgerEntry.objects.values_list("note", flat=True)) == ["", "迟报, \"两次\"\n补报"]


@pytest.mark.parametrize("data, line", [
    ((LEDGER + "城关镇,8.1.a,1,,2026-03-05,\n城关镇,8.1.a,1,,2026-03-06,迟\0报\n").encode(), 3),
    (("\r\n".join(LEDGER.split("\n")) + "城关镇,8.1.a,1,,2026-03-05,\0\r\n").encode(), 2),
    ((LEDGER + "城关镇,8.1.a,1,,2026-03-05,\n").encode("utf-16"), 1),  # a UTF-16 export
])
def test_nul_bytes_are_refused_with_their_line(cli_units, tmp_path, data, line):
    err = ledger_refused(tmp_path, data)
    assert f"line {line}, column -, value '\\x00': line {line} holds a NUL byte" in err


@pytest.mark.parametrize("command, header, scheme", [
    ("import_ledger", LEDGER, ["--scheme", "town-2026"]),
    ("import_units", "name,group,user\n", []),
    ("import_economy", ECONOMY, ["--scheme", "town-2026", "--as-of", "2026-06"]),
    ("import_measures", "unit,indicator,target,actual,date\n", ["--scheme", "town-2026"]),
    ("import_ratings", "ratee,criterion,source,group,rater,rating,period\n", ["--scheme", "town-2026"]),
])
@pytest.mark.parametrize("name", ["header.csv", "header.xlsx"])
def test_a_header_only_file_is_refused_by_every_importer(cli_units, tmp_path, command, header, scheme, name):
    data = xlsx_bytes([header.strip().split(",")]) if name.endswith(".xlsx") else header
    units = Unit.objects.count()
    err = refused(command, write(tmp_path, data, name), *scheme)
    assert f"line 2, column -, value '': {gettext('the file has a header but no rows')}" in err
    assert (Unit.objects.count(), LedgerEntry.objects.count(), EconomicFigure.objects.count()) == (units, 0, 0)
    assert not ImportBatch.objects.exclude(kind="units").exists()


def test_too_many_rows_are_refused_naming_the_limit(cli_units, tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    rows = [f"城关镇,8.1.a,1,,2026-03-0{day}," for day in range(1, 5)]
    err = ledger_refused(tmp_path, LEDGER + "\n".join(rows) + "\n")
    assert "line 5, column -, value '': more than 3 rows: split the file" in err
    data = xlsx_bytes([LEDGER.strip().split(",")] + [row.split(",") for row in rows])
    assert "line 5, column -, value '': more than 3 rows" in ledger_refused(tmp_path, data, "a.xlsx")
    accepted("import_ledger", write(tmp_path, LEDGER + "\n".join(rows[:3]) + "\n"), "--scheme", "town-2026")
    assert LedgerEntry.objects.count() == 3


def test_a_file_over_the_size_limit_is_refused(cli_units, tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 1000)
    text = LEDGER + "城关镇,8.1.a,1,,2026-03-05,迟报\n" * 40
    assert "line 1, column -, value '': the file has 0.0 MB, more than the limit" in ledger_refused(tmp_path, text)


# ---------------------------------------------------------------- XLSX


def rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with its sheet XML replaced by ``change(xml)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for member in zin.infolist():
            body = zin.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            zout.writestr(member.filename, body)
    return out.getvalue()


def test_a_formula_without_its_result_is_refused_naming_the_cell(cli_units, tmp_path):
    rows = [LEDGER.strip().split(",")] + [["东山镇", "8.1.a", 1, None, "2026-03-05"]] * 5
    rows.append(["城关镇", '="8.1"&".a"', 1, None, "2026-03-06"])  # B7: openpyxl saves no result
    err = ledger_refused(tmp_path, xlsx_bytes(rows), "a.xlsx")
    assert "line 7, column rule, value '=\"8.1\"&\".a\"': cell B7 holds a formula without its result" in err


def test_a_formula_with_its_saved_result_reads_the_result(cli_units, tmp_path):
    data = xlsx_bytes([LEDGER.strip().split(","), ["城关镇", "8.1.a", "=1+1", None, "2026-03-05"]])
    data = rewrite_sheet(data, lambda xml: xml.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>"))
    accepted("import_ledger", write(tmp_path, data, "a.xlsx"), "--scheme", "town-2026")
    assert LedgerEntry.objects.get().quantity == D(2)


def test_a_declared_dimension_of_a_million_rows_is_not_believed(cli_units, tmp_path):
    data = xlsx_bytes([LEDGER.strip().split(","), ["城关镇", "8.1.a", 1, None, "2026-03-05"]])
    data = rewrite_sheet(data, lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"',
                                                  xml))
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    accepted("import_ledger", write(tmp_path, data, "a.xlsx"), "--scheme", "town-2026")
    assert LedgerEntry.objects.count() == 1


def test_a_cell_far_to_the_right_is_refused(cli_units, tmp_path):
    data = xlsx_bytes([LEDGER.strip().split(","), ["城关镇", "8.1.a", 1, None, "2026-03-05"]])
    data = rewrite_sheet(data, lambda xml: xml.replace(
        b"</row></sheetData>", b'<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    assert "line 2, column -, value 'x': cell XFD2 is beyond column CV" in ledger_refused(tmp_path, data, "a.xlsx")


def zip_bomb(rows: int) -> bytes:
    """A real workbook whose sheet is ``rows`` identical rows: about 60 bytes each, deflated 1000:1."""
    skeleton = xlsx_bytes([LEDGER.strip().split(",")])
    out = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 10_000
    with zipfile.ZipFile(io.BytesIO(skeleton)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for member in zin.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(member.filename, zin.read(member))
                continue
            with zout.open(member.filename, "w") as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                            b"<sheetData>")
                for _ in range(rows // 10_000):
                    sheet.write(row)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_the_zip_directory_before_parsing(cli_units, tmp_path, monkeypatch):
    data = zip_bomb(1_000_000)  # 50 MB of sheet XML in a file of some 100 KB
    assert len(data) < 500_000

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    tracemalloc.start()
    try:
        err = ledger_refused(tmp_path, data, "bomb.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "line 1, column -, value 'xl/worksheets/sheet1.xml': xl/worksheets/sheet1.xml would expand" in err
    assert "beyond the limit of 100 times" in err
    assert peak < 20 * 1024 * 1024  # the bomb never expanded: a few copies of the file at most


def test_the_uncompressed_total_is_limited(cli_units, tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_UNCOMPRESSED_BYTES", 4096)
    data = xlsx_bytes([LEDGER.strip().split(","), ["城关镇", "8.1.a", 1, None, "2026-03-05"]])
    err = ledger_refused(tmp_path, data, "a.xlsx")
    assert "line 1, column -, value '': the .xlsx would expand to 0 MB, beyond the limit of 0 MB" in err


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", b"\x00" * 100, b""])
def test_a_damaged_xlsx_is_refused(cli_units, tmp_path, data):
    err = ledger_refused(tmp_path, data, "a.xlsx")
    assert "line 1, column -" in err and "not a readable .xlsx file" in err


# ---------------------------------------------------------------- unit names


@pytest.mark.parametrize("first, second", [
    ("南湖镇", "南湖镇\u200b"), ("南湖镇", "\ufeff南湖镇"), ("南湖镇", " 南湖镇\u200d "), ("XY镇", "ＸＹ镇"),
    ("XY镇", "xy镇"), ("ｘｙ镇", "Xy\u200c镇"),
])
def test_unit_names_that_differ_only_invisibly_are_one_duplicate(cli_units, tmp_path, first, second):
    before = Unit.objects.count()
    path = write(tmp_path, f"name,group\n{first},town\n{second},town\n", "u.csv")
    err = refused("import_units", path)
    assert f"line 3, column name, value {second.strip()!r}: this unit is already on line 2" in err
    assert err.count("\n") == 1
    assert Unit.objects.count() == before


def test_a_name_that_normalises_to_a_stored_unit_is_that_unit(cli_units, tmp_path):
    before = Unit.objects.count()
    path = write(tmp_path, "name,group\n\u200b城关镇,town\nａｂｃ镇,town\n东山镇\ufeff,entity\n", "u.csv")
    out = accepted("import_units", path)
    assert Unit.objects.count() == before, out
    assert Unit.objects.get(name="东山镇").group.code == "entity"
    assert set(Unit.objects.values_list("name", flat=True)) >= {"城关镇", "ABC镇", "东山镇"}
    assert not Unit.objects.filter(name__contains="\u200b").exists()


# ---------------------------------------------------------------- anything at all: rows or a clean refusal


CELLS = st.one_of(
    st.sampled_from(["城关镇", "东山镇", "8.1.a", "7.a", "output", "profit", "1", "-2.5", "2026-03-05", "",
                     "NaN", "sNaN", "-Infinity", "1e309", "1e30", "1E-30", "99999999999", "1,5", "1,234.5",
                     "=1+1", "=SUM(A1:A9)", "\ufeff", "\ufeffunit", "\u200b城关镇", "\0", "2026-03-05abc",
                     "２０２６年３月５日", "－１", "\"", "\"\"", "a\nb", "\r", "0x1F", "1_000"]),
    st.text(max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
TABLES = st.lists(st.lists(CELLS, min_size=0, max_size=7), min_size=0, max_size=6)


def as_csv(rows, header, encoding) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


FILES = st.one_of(
    st.tuples(st.binary(max_size=400), st.sampled_from(["f.csv", "f.xlsx"])),
    st.builds(lambda rows, header, encoding, mangle: (mangle(as_csv(rows, header, encoding)), "f.csv"),
              TABLES, st.sampled_from([LEDGER.strip().split(","), ECONOMY.strip().split(","), ["unit", "x"]]),
              st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
              st.sampled_from([lambda b: b, lambda b: b[: len(b) // 2], lambda b: b + b'"\n',
                               lambda b: b.replace(b",", b"\0", 1), lambda b: b"\xef\xbb\xbf" + b])),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(FILES)
def test_any_file_gives_rows_or_a_clean_refusal(cli_units, file):
    data, name = file
    for validate in (lambda: validate_ledger(data, name, cli_units),
                     lambda: validate_economy(data, name, cli_units, AsOf(2026, 6))):
        try:
            rows = validate()
        except ImportRejected as rejected:
            assert rejected.errors
            for error in rejected.errors:
                assert error.line >= 0 and error.code
                assert str(error)
        else:
            assert isinstance(rows, list)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TABLES)
def test_any_xlsx_cells_give_rows_or_a_clean_refusal(cli_units, rows):
    cells = [[c.replace("\0", "").replace("\r", "") for c in row] for row in rows]
    for header, validate in ((LEDGER.strip().split(","), lambda d: validate_ledger(d, "f.xlsx", cli_units)),
                             (ECONOMY.strip().split(","),
                              lambda d: validate_economy(d, "f.xlsx", cli_units, AsOf(2026, 6)))):
        try:
            data = xlsx_bytes([header, *cells])
        except IllegalCharacterError:  # openpyxl refuses control characters in a cell
            continue
        try:
            validate(data)
        except ImportRejected as rejected:
            assert all(e.line >= 0 and e.code for e in rejected.errors)


def test_an_objectives_weight_too_large_for_its_column_is_refused_by_name(db):
    from kaohe.actions.schemes import do_load_scheme
    from kaohe.imports.errors import ImportRejected
    from kaohe.imports.objectives import validate_objectives

    scheme = do_load_scheme("mbo", 2026)
    owner = scheme.indicators.exclude(owner=None).values_list("owner__name", flat=True).first()
    data = f"code,name,weight,owner\n1,公司目标,99999999999,{owner}\n".encode()
    with pytest.raises(ImportRejected) as caught:
        validate_objectives(data, "tree.csv", scheme)
    assert ("weight", "99999999999") in {(e.column, e.value) for e in caught.value.errors}
    assert any(e.line == 2 and e.column == "weight" and e.code != "required" for e in caught.value.errors)
