"""Bad input from real ledgers: each kind of file gives a clear Chinese reason, with the row
number for a row, and no good row of the same file is lost.

The kinds of file (one case each, in ``CASES``):

 1. an old .xls workbook (OLE2)                      13. an ID number Excel turned into 3.7E+17 (CSV text)
 2. a file named .xlsx that is no zip                14. an ID number with a wrong check digit
 3. an empty file                                    15. sex that contradicts the ID number
 4. headers of another ledger (no required column)   16. a formula saved without its computed value
 5. bytes in no known encoding                       17. a cell past Excel's 32,767 characters
 6. a date that does not exist (2024-02-30)          18. a zip bomb (100 MB of shared strings)
 7. a date written in words (昨天)                   19. a phone stored as a number (lost leading 0)
 8. an accident in the future                        20. a required cell left empty
 9. a village not in the township                    21. text longer than the field (地点 > 255)
10. a negative count                                 22. one number twice with different content
11. a fraction where a count is due (1.5)            23. a header row with only title rows above (accepted)
12. a value outside the code list                    24. a second sheet of notes without header (reported)
"""

import io

import pytest

from incidents.models import Incident, InjuryRecord
from safecommunity.records import FileRejected, get_kind, run_import
from tests.incidents.factories import make_id_number

from .test_import_integrity import _bomb, csv_file, incident_row, injury_row, xlsx_bytes

INCIDENT = get_kind("incidents").headers
INJURY = get_kind("injuries").headers
ENTITY = get_kind("entities").headers


_csv = csv_file
_xlsx = xlsx_bytes


def _named(data: bytes, name):
    out = io.BytesIO(data)
    out.name = name
    return out


GOOD_ID = make_id_number(birth=__import__("datetime").date(2015, 6, 1), seq=21)
BAD_CHECK = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")
FEMALE_ID = make_id_number(birth=__import__("datetime").date(2015, 6, 1), male=False, seq=22)


def incidents_with(bad):
    return _csv(INCIDENT, [incident_row(**{"地点": "好1"}), bad, incident_row(**{"地点": "好2"})])


def injuries_with(bad):
    return _csv(INJURY, [injury_row(**{"伤害部位": "上肢"}), bad, injury_row(**{"伤害部位": "下肢"})])


# (case, kind, builder, expected reason, row number of the bad row or None for the whole file)
CASES = [
    ("xls", "incidents", lambda: _named(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "x.xls"), "旧版 .xls", None),
    ("not-a-zip", "incidents", lambda: _named(b"hello", "x.xlsx"), "不是有效的 Excel", None),
    ("empty", "incidents", lambda: _named(b"", "x.csv"), "缺少必填列", None),
    ("other-ledger", "incidents", lambda: _csv(["姓名", "电话"], [["张三", "1"]]), "缺少必填列", None),
    ("no-encoding", "incidents", lambda: _named(bytes(range(128, 256)) * 20, "x.csv"), "无法识别文件编码", None),
    ("no-such-day", "incidents", lambda: incidents_with(incident_row(**{"发生时间": "2024-02-30"})), "日期不存在", 3),
    ("date-in-words", "incidents", lambda: incidents_with(incident_row(**{"发生时间": "昨天"})), "日期格式无法识别", 3),
    ("future", "incidents", lambda: incidents_with(incident_row(**{"发生时间": "2099-01-01"})), "晚于现在", 3),
    ("village", "incidents", lambda: incidents_with(incident_row(**{"所属村(社区)": "外村"})), "本乡镇/街道没有", 3),
    ("negative", "incidents", lambda: incidents_with(incident_row(**{"死亡人数": "-1"})), "不能小于0", 3),
    ("fraction", "incidents", lambda: incidents_with(incident_row(**{"死亡人数": "1.5"})), "不是整数", 3),
    ("code-list", "incidents", lambda: incidents_with(incident_row(**{"行业领域": "航天"})), "不在可选项中", 3),
    (
        "id-scientific",
        "injuries",
        lambda: injuries_with(injury_row(**{"身份证号": "3.71799E+17"})),
        "身份证号被 Excel 存成了数字",
        3,
    ),
    ("id-check-digit", "injuries", lambda: injuries_with(injury_row(**{"身份证号": BAD_CHECK})), "校验码", 3),
    (
        "sex-vs-id",
        "injuries",
        lambda: injuries_with(injury_row(**{"身份证号": FEMALE_ID, "性别": "男", "年龄": ""})),
        "性别",
        3,
    ),
    (
        "formula",
        "incidents",
        lambda: _xlsx(
            {
                "s": [
                    INCIDENT,
                    incident_row(**{"地点": "好1"}),
                    incident_row(**{"死亡人数": "=2*3"}),
                    incident_row(**{"地点": "好2"}),
                ]
            }
        ),
        "没有计算结果的公式",
        3,
    ),
    ("long-cell", "incidents", lambda: incidents_with(incident_row(**{"简要经过": "长" * 33000})), "32767", 3),
    ("bomb", "incidents", lambda: _bomb("xl/sharedStrings.xml", 100), "压缩炸弹", None),
    (
        "phone-number",
        "entities",
        lambda: _xlsx(
            {
                "s": [
                    ENTITY,
                    ["好店一", "", "小商店", "", "", "东关社区", "", "", "053112345678", ""],
                    ["坏店", "", "小商店", "", "", "东关社区", "", "", 53112345678, ""],
                    ["好店二", "", "小商店", "", "", "东关社区", "", "", "", ""],
                ]
            }
        ),
        "电话被 Excel 存成了数字",
        3,
    ),
    ("required-empty", "incidents", lambda: incidents_with(incident_row(**{"事故类型": ""})), "不能为空", 3),
    ("too-long", "incidents", lambda: incidents_with(incident_row(**{"地点": "路" * 256})), "长度不能超过255", 3),
    (
        "number-conflict",
        "incidents",
        lambda: _csv(
            INCIDENT,
            [
                incident_row(**{"地点": "好1", "事故编号": "A1"}),
                incident_row(**{"地点": "改", "事故编号": "A1"}),
                incident_row(**{"地点": "好2"}),
            ],
        ),
        "以下各列不同",
        3,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("case,kind,build,expected,row_no", CASES, ids=[c[0] for c in CASES])
def test_a_bad_file_or_row_is_explained_and_no_good_row_is_lost(world, case, kind, build, expected, row_no):
    fileobj = build()
    fileobj.seek(0)
    model = {"incidents": Incident, "injuries": InjuryRecord}.get(kind)
    if row_no is None:
        with pytest.raises(FileRejected) as exc:
            run_import(kind, fileobj, township=world.township1, user=world.users["township1"], filename=fileobj.name)
        assert expected in exc.value.message
        if model is not None:
            assert model.objects.count() == 0
        return
    result = run_import(kind, fileobj, township=world.township1, user=world.users["township1"], filename=fileobj.name)
    reasons = {n: reason for _s, n, _c, reason in result.rejected}
    assert list(reasons) == [row_no], result.rejected
    assert expected in reasons[row_no]
    assert result.imported == 2  # both good rows around it


@pytest.mark.django_db
def test_title_rows_above_the_header_and_a_notes_sheet(world):
    data = _xlsx(
        {
            "台账": [
                ["2024年事故台账"],
                [],
                INCIDENT,
                incident_row(**{"地点": "好1"}),
                incident_row(**{"地点": "好2"}),
            ],
            "说明": [["本表由安监站填报"], ["如有疑问请联系"]],
        }
    )
    result = run_import("incidents", data, township=world.township1, filename="x.xlsx")
    assert result.imported == 2
    assert [(s, n) for s, n, _c, _r in result.rejected] == [("说明", 0)]
    assert "没有表头" in result.rejected[0][3]


def test_the_module_lists_at_least_twenty_kinds_of_bad_file():
    assert len(CASES) >= 20
