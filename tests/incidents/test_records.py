"""The ``incidents`` and ``injuries`` record kinds end to end: messy files, re-import, commands."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from incidents.models import Incident, InjuryRecord
from safecommunity.records import get_kind, run_import
from tests.incidents.factories import IncidentFactory, aware, make_id_number

INCIDENT_HEADERS = [
    "发生时间",
    "所属村(社区)",
    "地点",
    "行业领域",
    "事故类型",
    "死亡人数",
    "重伤人数",
    "轻伤人数",
    "直接经济损失(万元)",
    "简要经过",
    "信息来源",
    "事故编号",
    "上报时间",
    "急性工业中毒人数",
]
INJURY_HEADERS = [
    "姓名",
    "身份证号",
    "性别",
    "年龄",
    "伤害发生时间",
    "就诊时间",
    "所属村(社区)",
    "伤害原因",
    "伤害地点",
    "伤害发生时活动",
    "伤害意图",
    "是否饮酒",
    "伤害性质",
    "伤害部位",
    "严重程度",
    "结局",
    "简要经过",
    "卡片编号",
    "户籍",
    "文化程度",
    "职业",
    "临床诊断",
    "报告时间",
    "就诊医院",
]


def csv_bytes(headers, rows, encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(headers, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_template_headers_are_in_the_issues_order():
    assert get_kind("incidents").headers == INCIDENT_HEADERS
    assert get_kind("injuries").headers == INJURY_HEADERS


MESSY_INCIDENTS = [
    ["2024-03-05", "东关社区", "东关路口", "道路交通", "车辆伤害", "1", "0", "2", "3.5", "两车相撞", "公安交警"],
    ["2024/3/5 14:30", " 西关社区 ", "西关菜市场", "2", "8", "０", "１", "", "", "", "1"],  # numbers, full-width
    ["2024.3.6", "371799001003", "南街", "工矿商贸", "9 高处坠落", " 3 ", "0", "0", "1,200", "", "企业报告"],
    ["2024年3月7日", "东关社区", "", "火灾", "火灾", "0", "0", "0", "0.8", "=cmd|' /C calc'!A0", ""],
    ["", "东关社区", "", "火灾", "火灾", "0", "0", "0", "", "", ""],  # no date
    ["2024-02-30", "东关社区", "", "火灾", "火灾", "0", "0", "0", "", "", ""],  # no such day
    ["2024-03-08", "不存在村", "", "火灾", "火灾", "0", "0", "0", "", "", ""],  # village
    ["2024-03-08", "东关社区", "", "航天", "火灾", "-1", "0", "0", "", "", ""],  # domain, count
    ["2099-03-08", "东关社区", "", "火灾", "火灾", "0", "0", "0", "", "", ""],  # future (model rule)
    [
        "2024-03-05",
        "东关社区",
        "东关路口",
        "道路交通",
        "车辆伤害",
        "1",
        "0",
        "2",
        "3.5",
        "重复行",
        "公安交警",
    ],  # differs in 简要经过 only: a second record
]


def test_messy_incident_csv_imports_valid_rows_and_explains_the_others(world):
    result = run_import(
        "incidents",
        io.BytesIO(csv_bytes(INCIDENT_HEADERS, MESSY_INCIDENTS)),
        township=world.township1,
        user=world.users["township1"],
        filename="事故.csv",
    )
    assert (result.imported, result.duplicates) == (5, 0)
    reasons = {row_no: reason for _sheet, row_no, _cells, reason in result.rejected}
    assert sorted(reasons) == [6, 7, 8, 9, 10]
    assert "发生时间" in reasons[6] and "不能为空" in reasons[6]
    assert "日期不存在" in reasons[7]
    assert "不存在村" in reasons[8]
    assert "行业领域" in reasons[9] and "死亡人数" in reasons[9]
    assert "晚于现在" in reasons[10]
    second = Incident.objects.get(address="西关菜市场")
    assert timezone.localtime(second.occurred_at) == aware(2024, 3, 5, 14, 30)
    assert (second.domain, second.accident_type, second.serious_injuries, second.source) == (
        "fire",
        "08",
        1,
        "informant",
    )
    third = Incident.objects.get(address="南街")
    assert (third.deaths, third.direct_loss, third.grade) == (3, 1200, "larger")
    assert all(
        i.township == world.township1 and i.created_by == world.users["township1"] for i in Incident.objects.all()
    )


def test_reimporting_the_same_file_imports_nothing_twice(world):
    data = csv_bytes(INCIDENT_HEADERS, MESSY_INCIDENTS)
    run_import("incidents", io.BytesIO(data), township=world.township1, filename="a.csv")
    again = run_import("incidents", io.BytesIO(data), township=world.township1, filename="a.csv")
    assert again.imported == 0 and again.duplicates == 5
    assert Incident.objects.count() == 5


def test_gb18030_csv_as_excel_saves_it_on_chinese_windows(world):
    data = csv_bytes(INCIDENT_HEADERS, MESSY_INCIDENTS[:2], encoding="gb18030")
    result = run_import("incidents", io.BytesIO(data), township=world.township1, filename="a.csv")
    assert result.imported == 2 and not result.rejected


def test_a_bad_file_keeps_what_is_already_saved(world):
    from safecommunity.records import FileRejected

    IncidentFactory(village=world.village1)
    with pytest.raises(FileRejected):
        run_import(
            "incidents",
            io.BytesIO(csv_bytes(["时间", "村"], [["2024-01-01", "东关社区"]])),
            township=world.township1,
            filename="bad.csv",
        )
    assert Incident.objects.count() == 1


def injury_row(**overrides):
    row = dict(
        zip(
            INJURY_HEADERS[:18],
            [
                "王小明",
                "",
                "男",
                "70岁",
                "2024-03-05 09:00",
                "2024-03-05 10:00",
                "东关社区",
                "3",
                "家中",
                "家务",
                "非故意",
                "未饮用",
                "骨折",
                "下肢",
                "中",
                "住院",
                "",
                "",
            ],
            strict=True,
        )
    )
    row.update(overrides)
    return [row.get(h, "") for h in INJURY_HEADERS]


def test_messy_injury_xlsx_with_excel_serials_codes_and_id_numbers(world):
    number = make_id_number(birth=dt.date(1950, 7, 1), male=False)
    serial = (dt.datetime(2024, 3, 5, 9, 30) - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    rows = [
        injury_row(),
        injury_row(
            **{
                "姓名": "李芳",
                "身份证号": number.lower(),
                "性别": "",
                "年龄": "",
                "伤害发生时间": serial,
                "就诊时间": "",
            }
        ),  # sex and age from the ID
        injury_row(**{"伤害原因": "1 机动车车祸", "伤害地点": "5", "伤害发生时活动": "驾乘交通工具"}),
        injury_row(**{"身份证号": number, "性别": "男"}),  # sex disagrees
        injury_row(**{"身份证号": number[:17] + ("1" if number[17] != "1" else "2")}),  # check digit
        injury_row(**{"伤害原因": "机动车车祸", "姓名": "赵六"}),  # place must be road
        injury_row(**{"伤害原因": "溺水", "伤害部位": "头部"}),  # whole body
        injury_row(**{"伤害原因": "烧烫伤"}),  # nature burn
        injury_row(**{"就诊时间": "2024-03-05 08:00", "姓名": "钱七"}),  # visit before injury
        injury_row(**{"伤害性质": "99"}),
    ]
    result = run_import(
        "injuries", io.BytesIO(xlsx_bytes(INJURY_HEADERS, rows)), township=world.township1, filename="伤害.xlsx"
    )
    # The card's plausibility checks (rows 7-9) are warnings stored on the record, not refusals.
    assert result.imported == 6, result.rejected
    reasons = {row_no: reason for _sheet, row_no, _cells, reason in result.rejected}
    assert set(reasons) == {5, 6, 10, 11}
    assert "性别" in reasons[5] and "身份证号" in reasons[5]
    assert "校验码" in reasons[6]
    assert "就诊时间" in reasons[10]
    assert "伤害性质" in reasons[11]
    assert InjuryRecord.objects.get(name="赵六").logic_warnings == ["traffic_place", "traffic_activity"]
    assert InjuryRecord.objects.get(cause="09").logic_warnings == ["whole_body_part"]
    assert InjuryRecord.objects.get(cause="07").logic_warnings == ["burn_nature"]
    assert InjuryRecord.objects.with_open_warnings().count() == 3
    li = InjuryRecord.objects.get(name="李芳")
    assert (li.sex, li.age, li.id_number) == ("F", 73, number.upper())
    assert timezone.localtime(li.injured_at) == aware(2024, 3, 5, 9, 30)
    assert InjuryRecord.objects.filter(cause="01", place="05").count() == 1


def test_a_big_injury_import_rejects_each_refused_row_with_its_row_column_and_reason(world):
    """Batches past the COPY threshold (the bulk service's batch path): every refusal keeps its
    row number and its column, the summary tables equal the raw rows, a re-import adds nothing."""
    from tests.incidents.test_summary import _actual_tables, _expected_tables

    number = make_id_number(birth=dt.date(1950, 7, 1), male=False)
    future = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    refusals = {
        3: ({"就诊时间": "2024-03-05 08:00"}, "就诊时间：就诊时间不能早于伤害发生时间"),
        5: ({"身份证号": number, "性别": "男", "年龄": ""}, "性别：性别与身份证号不一致"),
        7: (  # the report time defaults to the injury's: in the future too
            {"伤害发生时间": future, "就诊时间": ""},
            "伤害发生时间：伤害发生时间不能晚于现在；报告时间：报告时间不能晚于现在",
        ),
    }
    rows = []
    for i in range(300):
        change, _reason = refusals.get(i % 10, ({}, ""))
        rows.append(injury_row(**{"姓名": f"患者{i}", "年龄": str(i % 90), **change}))
    data = csv_bytes(INJURY_HEADERS, rows)
    result = run_import("injuries", io.BytesIO(data), township=world.township1, filename="伤害.csv", batch_size=120)
    expected = {i + 2: reason for i in range(300) if (reason := refusals.get(i % 10, ({}, ""))[1])}
    assert {row_no: reason for _sheet, row_no, _cells, reason in result.rejected} == expected
    assert (result.imported, result.rejected_count) == (210, 90)
    assert InjuryRecord.objects.count() == 210
    assert _actual_tables() == _expected_tables()
    again = run_import("injuries", io.BytesIO(data), township=world.township1, filename="伤害.csv", batch_size=120)
    assert (again.imported, again.duplicates, again.rejected_count) == (0, 210, 90)
    assert InjuryRecord.objects.count() == 210 and _actual_tables() == _expected_tables()


def test_injury_reimport_recognises_duplicates(world):
    data = xlsx_bytes(INJURY_HEADERS, [injury_row(), injury_row(**{"姓名": "张三"})])
    assert run_import("injuries", io.BytesIO(data), township=world.township1, filename="a.xlsx").imported == 2
    again = run_import("injuries", io.BytesIO(data), township=world.township1, filename="a.xlsx")
    assert (again.imported, again.duplicates) == (0, 2)


def test_import_command_writes_rejects_next_to_the_file(world, tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_bytes(csv_bytes(INCIDENT_HEADERS, MESSY_INCIDENTS))
    out = io.StringIO()
    call_command("import_records", "incidents", str(path), "--township", "371799001", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "imported 5, duplicates 0, rejected 5"
    rejects = (tmp_path / "incidents.rejected.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rejects[0].startswith("工作表,行号,原因,发生时间") and len(rejects) == 6
    assert rejects[1].startswith(",6,")


def test_export_command_writes_the_list_pages_columns_with_grade(world, tmp_path):
    IncidentFactory(village=world.village1, deaths=30)
    IncidentFactory(village=world.village2, deaths=0)
    path = tmp_path / "out.xlsx"
    out = io.StringIO()
    call_command("export_records", "incidents", "--county", "371799", "--out", str(path), stdout=out)
    rows = list(load_workbook(path).active.values)
    assert len(rows) == 3 and rows[0][: len(INCIDENT_HEADERS)] == tuple(INCIDENT_HEADERS)
    assert {r[rows[0].index("事故等级")] for r in rows[1:]} == {"特别重大", "一般"}
    path = tmp_path / "injuries.csv"
    call_command("export_records", "injuries", "--township", "371799001", "--out", str(path), stdout=out)
    assert path.read_text(encoding="utf-8-sig").startswith("姓名,身份证号,性别,年龄")


def test_exported_incidents_reimport_as_duplicates(world, tmp_path):
    IncidentFactory(village=world.village1, occurred_at=aware(2024, 5, 1, 8, 15), address="东关路口")
    path = tmp_path / "round.xlsx"
    call_command("export_records", "incidents", "--township", "371799001", "--out", str(path), stdout=io.StringIO())
    result = run_import("incidents", path, township=world.township1)
    assert (result.imported, result.duplicates, result.rejected) == (0, 1, [])


def test_import_pages_are_linked_from_the_lists(as_user, world):
    page = as_user("township1").get("/incidents/list/").content.decode()
    assert "/imports/incidents/new/" in page and "/imports/incidents/template/" in page
    page = as_user("township1").get("/incidents/injuries/").content.decode()
    assert "/imports/injuries/new/" in page
    page = as_user("county").get("/incidents/list/").content.decode()
    assert "/imports/incidents/new/" not in page


def test_template_download_has_the_headers(as_user, world):
    response = as_user("township1").get("/imports/injuries/template/?fmt=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert list(next(sheet.values)) == INJURY_HEADERS


def test_upload_through_the_import_page_runs_the_job(
    as_user, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safecommunity.records.models import ImportJob

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("事故.csv", csv_bytes(INCIDENT_HEADERS, MESSY_INCIDENTS), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user("township1").post("/imports/incidents/new/", {"file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.imported, job.duplicates, job.rejected) == ("done", 5, 0, 5)
