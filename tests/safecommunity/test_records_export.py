"""Exports: Chinese headers, neutralised formulas, typed xlsx cells, streaming, masking."""

import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from safecommunity.choices import AreaLevel
from safecommunity.models import Area
from safecommunity.privacy import mask_name
from safecommunity.records import ExportColumn, export_response, get_kind, masked, template_response
from safecommunity.records.writing import write_csv, write_xlsx
from safecommunity.services import area_create

SHANGHAI = ZoneInfo("Asia/Shanghai")
NASTY = ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]


def _csv_rows(raw: bytes):
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _add_nasty_villages(township):
    for i, name in enumerate(NASTY, start=50):
        area_create(code=f"{township.code}{i:03d}", name=name, level=AreaLevel.VILLAGE, parent=township)


def test_export_command_csv_of_a_township_neutralises_formulas(world, tmp_path):
    _add_nasty_villages(world.township1)
    out = tmp_path / "v.csv"
    call_command("export_records", "villages", "--township", "371799001", "--out", str(out))
    rows = _csv_rows(out.read_bytes())
    assert rows[0] == ["区划代码", "名称", "乡镇/街道", "乡镇/街道代码"]
    names = [r[1] for r in rows[1:]]
    assert names[:3] == ["东关社区", "西关社区", "南街社区"]
    assert names[3:] == ["'" + n for n in NASTY]
    assert {r[2] for r in rows[1:]} == {"城关街道"}


def test_export_command_xlsx_of_a_county_lists_all_its_villages(world, tmp_path):
    _add_nasty_villages(world.township2)
    out = tmp_path / "v.xlsx"
    call_command("export_records", "villages", "--county", "371799", "--out", str(out))
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("区划代码", "名称", "乡镇/街道", "乡镇/街道代码")
    codes = [r[0] for r in rows[1:]]
    assert codes == sorted(v.code for v in Area.objects.villages().filter(code__startswith="371799"))
    assert "371800101201" not in codes
    nasty = [r[1] for r in rows[1:] if "371799101050" <= r[0] < "371799101200"]
    # XML reads a carriage return back as a line feed; the leading quote is what matters.
    assert nasty == ["'" + n.replace("\r", "\n") for n in NASTY]


def test_xlsx_keeps_numbers_and_dates_typed_and_neutralises_text(tmp_path):
    when = dt.datetime(2024, 3, 5, 6, 30, tzinfo=dt.timezone.utc)  # 14:30 in Shanghai
    path = tmp_path / "x.xlsx"
    write_xlsx(
        path,
        ["数", "金额", "日期", "时间", "文本", "负数"],
        [[3, Decimal("1.50"), dt.date(2024, 3, 5), when, "=1+1", -4]],
    )
    sheet = load_workbook(path).active
    row = [c for c in next(sheet.iter_rows(min_row=2))]
    assert row[0].value == 3 and row[0].data_type == "n"
    assert float(row[1].value) == 1.5 and row[1].data_type == "n"
    assert row[2].value == dt.datetime(2024, 3, 5) and row[2].number_format == "yyyy-mm-dd"
    assert row[3].value == dt.datetime(2024, 3, 5, 14, 30) and row[3].number_format == "yyyy-mm-dd hh:mm"
    assert row[4].value == "'=1+1" and row[4].data_type == "s"
    assert row[5].value == -4 and row[5].data_type == "n"


def test_csv_formats_dates_and_keeps_numbers():
    buffer = io.StringIO()
    when = dt.datetime(2024, 3, 5, 6, 30, tzinfo=dt.timezone.utc)
    write_csv(buffer, ["a", "=b"], [[dt.date(2024, 3, 5), when, -4, "-4", None, True]])
    rows = list(csv.reader(io.StringIO(buffer.getvalue().lstrip("\ufeff"))))
    assert rows[0] == ["a", "'=b"]
    assert rows[1] == ["2024-03-05", "2024-03-05 14:30", "-4", "'-4", "", "是"]


def test_export_response_csv_streams_with_bom(world, django_assert_max_num_queries):
    queryset = Area.objects.villages()
    with django_assert_max_num_queries(2):
        response = export_response("villages", queryset, fmt="csv", user=world.users["county"])
        raw = b"".join(response.streaming_content)
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(raw)
    assert len(rows) == 1 + queryset.count()


def test_export_response_xlsx_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    for i in range(30):
        area_create(code=f"371799001{i + 200:03d}", name=f"村{i}", level=AreaLevel.VILLAGE, parent=world.township1)
    with django_assert_max_num_queries(2):
        response = export_response("villages", Area.objects.villages(), fmt="xlsx", user=world.users["county"])
        content = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + Area.objects.villages().count()


def test_masked_accessor_shows_personal_data_only_to_allowed_roles(world):
    column = ExportColumn("姓名", masked("full_name", mask_name))
    person = world.users["inspector1"]
    assert column.value(person, world.users["township1"]) == "inspector1姓名"
    assert column.value(person, world.users["county"]) == mask_name("inspector1姓名")
    assert column.value(person, None) == mask_name("inspector1姓名")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_import_template_is_header_only(fmt):
    response = template_response(get_kind("villages"), fmt)
    content = b"".join(response.streaming_content)
    if fmt == "csv":
        assert _csv_rows(content) == [["区划代码", "名称"]]
    else:
        rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
        assert rows == [("区划代码", "名称")]


def test_exported_file_imports_back_as_duplicates(world, tmp_path):
    from safecommunity.records import run_import

    out = tmp_path / "v.xlsx"
    call_command("export_records", "villages", "--township", "371799001", "--out", str(out))
    result = run_import("villages", out, township=world.township1)
    assert (result.imported, result.duplicates, result.rejected) == (0, 3, [])


def test_the_xlsx_template_offers_drop_downs_help_and_imports_back_filled_in(world, tmp_path):
    """Every coded column has a drop-down of its labels; 填写说明 gives each column's rule, an
    example and the allowed values; the filled-in template imports without a word about its
    help sheets."""
    from safecommunity.records import run_import
    from safecommunity.records.writing import HELP_SHEET, LISTS_SHEET

    response = template_response(get_kind("incidents"), "xlsx")
    path = tmp_path / "incidents.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    book = load_workbook(path)
    data, lists, help_sheet = book.worksheets[0], book[LISTS_SHEET], book[HELP_SHEET]
    headers = [c.value for c in data[1]]
    assert headers[:2] == ["发生时间", "所属村(社区)"] and lists.sheet_state == "hidden"
    by_range = {str(v.sqref): v.formula1 for v in data.data_validations.dataValidation}
    domain = headers.index("行业领域") + 1
    letter = chr(ord("A") + domain - 1)
    from incidents.choices import Domain

    labels = [str(label) for label in Domain.labels]
    formula = by_range[f"{letter}2:{letter}5000"]
    assert formula == f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(labels)}"
    assert [lists.cell(row=r, column=domain).value for r in range(1, len(labels) + 1)] == labels
    assert {"工矿商贸", "火灾", "道路交通", "铁路交通"} <= set(labels)
    assert "发生时间" not in {str(v.sqref) for v in data.data_validations.dataValidation}
    help_rows = {r[0]: r for r in help_sheet.iter_rows(min_row=2, values_only=True)}
    assert set(help_rows) == set(headers)
    assert help_rows["发生时间"][1] == "是" and help_rows["发生时间"][3] == "2026-03-15 14:30"
    assert help_rows["行业领域"][3] == "工矿商贸" and "道路交通" in help_rows["行业领域"][4]

    data.append(["2026-03-15 14:30", world.village1.name, "", "道路交通", "车辆伤害", 0, 0, 1])
    book.save(path)
    result = run_import("incidents", path, township=world.township1)
    assert (result.imported, result.rejected) == (1, [])


def test_every_export_begins_with_its_import_columns_and_repeats_no_header():
    """The import columns are declared once (``Column``): an export writes them first, under the
    same headers, so it imports back; the list table adds the rest without repeating a header."""
    from safecommunity.records.registry import kinds

    for kind in kinds():
        if type(kind).__module__.startswith("tests."):
            continue  # a kind a test registers for itself
        headers = [c.header for c in kind.get_export_columns()]
        assert headers[: len(kind.headers)] == kind.headers, kind.name
        assert len(set(headers)) == len(headers), kind.name


@pytest.mark.parametrize("username", ["township1", "county", "admin"])
def test_export_masks_as_the_list_table_does(world, username):
    """Masking is the list table's (``PhoneColumn``, ``render_name``): a phone in full only to the
    roles that may see personal data, an injured person's name and ID number masked for all."""
    from safecommunity.privacy import mask_phone
    from tests.committees.factories import CommitteeMemberFactory
    from tests.incidents.factories import InjuryRecordFactory
    from tests.inspections.factories import EntityFactory, GridFactory

    user = world.users[username]
    CommitteeMemberFactory(township=world.township1, phone="13912345678")
    EntityFactory(grid=GridFactory(village=world.village1), phone="13812345678")
    InjuryRecordFactory(village=world.village1, name="王小明", id_number="")

    def cell(kind, header):
        response = export_response(kind, get_kind(kind).for_township(world.township1), fmt="csv", user=user)
        rows = _csv_rows(b"".join(response.streaming_content))
        return rows[1][rows[0].index(header)]

    for kind, header, phone in [("members", "电话", "13912345678"), ("entities", "联系电话", "13812345678")]:
        assert cell(kind, header) == (phone if user.can_see_personal_data else mask_phone(phone)), kind
    assert cell("injuries", "姓名") == mask_name("王小明")
