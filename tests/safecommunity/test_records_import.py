"""The import engine: reading real-world files, rejecting rows, never importing twice."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from safecommunity.models import Area
from safecommunity.records import FileRejected, get_kind, run_import
from safecommunity.records.registry import kinds

from .records_fixtures.helpers import SAVED, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = ["发生时间", "地点", "原因", "人数"]
ROWS = [
    ["2024-03-05", "东关路口", "机动车车祸", "2"],
    ["2024/3/5 14:30", "西关小学", "2", "１"],
    ["2024年3月5日 14时30分", "南街", "3 烧烫伤", " 0 "],
]


@pytest.fixture(autouse=True)
def _empty_store():
    SAVED.clear()
    yield
    SAVED.clear()


@pytest.fixture
def t(world):
    """The township the in-memory kind's rows are imported into (identities are kept per township)."""
    return world.township1


def _local(value):
    return value.astimezone(SHANGHAI).replace(tzinfo=None)


def test_kinds_are_discovered_including_villages():
    names = [k.name for k in kinds()]
    assert "villages" in names
    assert get_kind("villages").label


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_in_every_encoding_excel_saves(t, tmp_path, encoding):
    delimiter = "\t" if encoding == "utf-16" else ","
    path = write_csv(tmp_path / "伤害.csv", [HEADER, *ROWS], encoding=encoding, delimiter=delimiter)
    result = run_import("test_injuries", path, township=t)
    assert (result.imported, result.duplicates, result.rejected) == (3, 0, [])
    saved = sorted(SAVED.values(), key=lambda d: (d["occurred_at"], d["place"]))
    assert [d["place"] for d in saved] == ["东关路口", "南街", "西关小学"]
    assert [d["cause"] for d in saved] == ["traffic", "burn", "fall"]
    assert _local(saved[1]["occurred_at"]) == dt.datetime(2024, 3, 5, 14, 30)
    assert saved[2]["count"] == 1


def test_gb18030_file_is_not_mistaken_for_utf8(t, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", [HEADER, ["2024-03-05", "镇政府", "跌倒/坠落", ""]], encoding="gb18030")
    run_import("test_injuries", path, township=t)
    assert [d["place"] for d in SAVED.values()] == ["镇政府"]


def test_xlsx_with_datetime_cells_serials_and_text_dates(t, tmp_path):
    path = write_xlsx(
        tmp_path / "伤害.xlsx",
        [
            HEADER,
            [dt.datetime(2024, 3, 5, 14, 30), "甲", "机动车车祸", 2],
            [45356, "乙", "1.机动车车祸", 3.0],
            ["2024.3.5", "丙", 2, None],
        ],
    )
    result = run_import("test_injuries", path, township=t)
    assert (result.imported, result.rejected) == (3, [])
    by_place = {d["place"]: d for d in SAVED.values()}
    assert _local(by_place["甲"]["occurred_at"]) == dt.datetime(2024, 3, 5, 14, 30)
    assert _local(by_place["乙"]["occurred_at"]) == dt.datetime(2024, 3, 5)
    assert by_place["乙"]["count"] == 3
    assert by_place["丙"]["cause"] == "fall"


def test_headers_matched_by_name_in_any_order_with_stray_spaces(t, tmp_path):
    path = write_csv(
        tmp_path / "x.csv",
        [
            [" 人数", "备注", "原因 ", "　地点", "发生时间"],
            ["5", "无关", "跌倒/坠落", "ＸＹ路", "2024-03-05"],
        ],
    )
    result = run_import("test_injuries", path, township=t)
    assert result.imported == 1
    (data,) = SAVED.values()
    # Codes and numbers are normalised; free text is kept as the ledger wrote it.
    assert (data["place"], data["count"], data["cause"]) == ("ＸＹ路", 5, "fall")


def test_missing_required_header_rejects_the_whole_file(t, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["发生时间", "人数"], ["2024-03-05", "1"]])
    with pytest.raises(FileRejected) as exc:
        run_import("test_injuries", path, township=t)
    assert "缺少必填列" in exc.value.message
    assert "地点" in exc.value.message and "原因" in exc.value.message
    assert SAVED == {}


def test_rejected_rows_carry_row_number_and_all_reasons(t, tmp_path):
    path = write_csv(
        tmp_path / "x.csv",
        [
            HEADER,
            ["2024-03-05", "好的", "1", "1"],  # row 2
            ["", "", "", ""],  # row 3: blank, skipped
            ["昨天", "", "溺水", "-1"],  # row 4
            ["2024-03-06", "拒绝", "1", ""],  # row 5: refused by the service
            ["2024-03-07", "也好", "跌倒/坠落", ""],  # row 6
        ],
    )
    result = run_import("test_injuries", path, township=t, batch_size=2)
    assert result.imported == 2
    rejected = {row_no: reason for _sheet, row_no, _cells, reason in result.rejected}
    assert sorted(rejected) == [4, 5]
    reasons = rejected[4].split("；")
    assert len(reasons) == 4
    assert reasons[0].startswith("发生时间：")
    assert reasons[1] == "地点：不能为空"
    assert reasons[2].startswith("原因：") and "溺水" in reasons[2]
    assert reasons[3] == "人数：不能小于0"
    assert rejected[5] == "地点：该地点不允许"
    assert result.rejected[0][2] == ["昨天", "", "溺水", "-1"]


def test_duplicates_within_the_file_and_on_reimport(t, tmp_path):
    path = write_csv(tmp_path / "x.csv", [HEADER, *ROWS, ROWS[0]])
    first = run_import("test_injuries", path, township=t)
    assert (first.imported, first.duplicates) == (3, 1)
    second = run_import("test_injuries", path, township=t)
    assert (second.imported, second.duplicates, second.rejected) == (0, 4, [])


def test_progress_is_reported_after_each_batch(t, tmp_path):
    rows = [[f"2024-03-{d:02d}", "某地", "1", ""] for d in range(1, 11)]
    path = write_csv(tmp_path / "x.csv", [HEADER, *rows])
    seen = []
    run_import(
        "test_injuries",
        path,
        township=t,
        batch_size=3,
        progress=lambda r: seen.append((r.processed, r.imported, r.total)),
    )
    assert [s[1] for s in seen] == [3, 6, 9, 10]
    assert seen[-1] == (10, 10, 10)


def test_not_a_spreadsheet_is_rejected_as_a_file(t, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"this is not a zip")
    with pytest.raises(FileRejected):
        run_import("test_injuries", path, township=t)


# --- villages, against the database -------------------------------------------------------------


def _village_file(tmp_path, rows, name="村庄.csv"):
    return write_csv(tmp_path / name, [["名称", "区划代码"], *rows], encoding="utf-8-sig")


def test_villages_import_creates_areas_under_the_township(world, tmp_path):
    path = _village_file(tmp_path, [["北苑社区", "371799001010"], ["  新村 ", "３７１７９９００１０１１"]])
    result = run_import("villages", path, township=world.township1, user=world.users["township1"])
    assert (result.imported, result.duplicates, result.rejected) == (2, 0, [])
    village = Area.objects.get(code="371799001011")
    assert (village.name, village.level, village.parent) == ("新村", "village", world.township1)


def test_villages_reject_codes_of_another_township_and_malformed_codes(world, tmp_path):
    path = _village_file(tmp_path, [["越界村", "371799101250"], ["短码村", "3717990010"], ["", ""]])
    result = run_import("villages", path, township=world.township1)
    assert result.imported == 0
    reasons = {row_no: reason for _s, row_no, _c, reason in result.rejected}
    assert "371799001" in reasons[2]
    assert "12位数字" in reasons[3]
    assert not Area.objects.filter(code="371799101250").exists()


def test_reimporting_the_same_villages_file_imports_nothing_twice(world, tmp_path):
    path = _village_file(tmp_path, [["北苑社区", "371799001010"], ["南苑社区", "371799001011"]])
    run_import("villages", path, township=world.township1)
    before = Area.objects.count()
    again = run_import("villages", path, township=world.township1)
    assert (again.imported, again.duplicates, again.rejected) == (0, 2, [])
    assert Area.objects.count() == before


def test_an_import_never_changes_existing_rows(world, tmp_path):
    existing = world.villages1[0]
    path = _village_file(tmp_path, [["改名村", existing.code], ["新村", "371799001020"]])
    result = run_import("villages", path, township=world.township1)
    assert (result.imported, result.duplicates) == (1, 1)
    existing.refresh_from_db()
    assert existing.name == "东关社区"


def test_a_file_missing_a_header_changes_nothing(world, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["名称"], ["新村"]])
    before = list(Area.objects.values_list("code", "name"))
    with pytest.raises(FileRejected):
        run_import("villages", path, township=world.township1)
    assert list(Area.objects.values_list("code", "name")) == before


@pytest.mark.parametrize("n", [5, 60])
def test_a_batch_of_duplicates_costs_the_same_few_queries_at_any_size(
    world, tmp_path, n, django_assert_max_num_queries
):
    # Savepoint, one INSERT … ON CONFLICT for the identities, one look-up of the lost ones,
    # release: whatever the number of rows in the batch.
    rows = [[f"村{i}", f"371799001{i + 100:03d}"] for i in range(n)]
    path = _village_file(tmp_path, rows)
    dup_path = _village_file(tmp_path, rows, name="again.csv")
    run_import("villages", path, township=world.township1)
    with django_assert_max_num_queries(4):
        result = run_import("villages", dup_path, township=world.township1)
    assert result.duplicates == n


# --- the commands -----------------------------------------------------------------------------


def test_import_command_prints_counts_and_writes_rejects_next_to_the_file(world, tmp_path, capsys):
    path = _village_file(tmp_path, [["北苑社区", "371799001010"], ["坏码", "12"], ["=cmd", "371799001010"]])
    call_command("import_records", "villages", str(path), "--township", "371799001")
    out = capsys.readouterr().out.strip().splitlines()
    # The third row repeats a code already in the file with another name: a conflict, not a
    # silent duplicate.
    assert out[-1] == "imported 1, duplicates 0, rejected 2"
    rejects = tmp_path / "村庄.rejected.csv"
    raw = rejects.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "工作表,行号,原因,名称,区划代码"
    assert lines[1].startswith(",3,区划代码：应为12位数字")
    assert lines[1].endswith(",坏码,12")


def test_import_command_refuses_a_file_without_headers(world, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["名字", "代码"], ["新村", "371799001010"]])
    with pytest.raises(CommandError, match="缺少必填列"):
        call_command("import_records", "villages", str(path), "--township", "371799001")


def test_import_command_unknown_township_or_kind(world, tmp_path):
    path = _village_file(tmp_path, [])
    with pytest.raises(CommandError):
        call_command("import_records", "villages", str(path), "--township", "999999999")
    with pytest.raises(CommandError):
        call_command("import_records", "nope", str(path), "--township", "371799001")
