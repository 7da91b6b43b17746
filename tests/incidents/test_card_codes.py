"""The injury card's code lists: the card's own numbers, import by code or label, the migration."""

import importlib
import io

import pytest
from django.apps import apps

from incidents.choices import (
    Activity,
    BodyPart,
    Cause,
    Education,
    Intent,
    Nature,
    Occupation,
    Outcome,
    Place,
    Residence,
    Sex,
)
from incidents.models import InjuryRecord
from incidents.records import card_choice
from safecommunity.records import RowError, run_import
from tests.incidents.factories import InjuryRecordFactory
from tests.incidents.test_records import INJURY_HEADERS, injury_row, xlsx_bytes

# 全国伤害监测报告卡, 职业: 1 学龄前儿童 … 12 其他.
CARD_OCCUPATIONS = {
    1: "学龄前儿童",
    2: "在校学生",
    3: "家务",
    4: "待业",
    5: "离退休人员",
    6: "专业技术人员",
    7: "办事人员和有关人员",
    8: "商业、服务业人员",
    9: "农牧渔水利业生产人员",
    10: "生产运输设备操作人员及有关人员",
    11: "军人",
    12: "其他",
}


def test_occupation_list_is_the_cards():
    assert {int(v): str(label) for v, label in Occupation.choices} == CARD_OCCUPATIONS


@pytest.mark.parametrize(
    ("choices", "card"),
    [
        (Residence, {1: "本市/县", 2: "本省外地", 3: "外省", 4: "外籍"}),
        (
            Education,
            {1: "未上学儿童", 2: "文盲、半文盲", 3: "小学", 4: "初中", 5: "高中或中专", 6: "大专", 7: "大学及以上"},
        ),
        # The CDC export's 伤害结局 (ayuileng/zhijianju, ExcelDateService.java; docs/domain.md).
        (Outcome, {1: "处理后离院", 2: "留观", 3: "转院", 4: "住院", 5: "死亡", 6: "其他"}),
        (Intent, {1: "非故意", 2: "自残/自杀", 3: "故意/暴力", 4: "不清楚", 5: "其他"}),
    ],
)
def test_other_lists_are_the_cards(choices, card):
    assert {int(v): str(label) for v, label in choices.choices} == card


def test_the_cards_unknown_entries_have_their_codes():
    assert (Cause.OTHER, Cause.UNKNOWN) == ("13", "14")
    assert (Place.UNKNOWN, Activity.UNKNOWN, Nature.UNKNOWN, BodyPart.UNKNOWN) == ("10", "10", "9", "8")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("9", Occupation.FARMER),
        (9, Occupation.FARMER),
        ("09", Occupation.FARMER),
        (9.0, Occupation.FARMER),
        ("4", Occupation.UNEMPLOYED),
        ("11", Occupation.SOLDIER),
        ("12", Occupation.OTHER),
        ("军人", Occupation.SOLDIER),
        ("待业", Occupation.UNEMPLOYED),
        ("9 农牧渔水利业生产人员", Occupation.FARMER),
        ("农民", Occupation.FARMER),
        ("无业人员", Occupation.UNEMPLOYED),
    ],
)
def test_occupation_cells_by_code_label_or_alias(cell, expected):
    assert card_choice(Occupation)(cell) == expected


def test_codes_outside_the_card_and_contradictions_are_refused():
    parse = card_choice(Occupation)
    for cell in ("13", "0", "9 军人", "宇航员"):
        with pytest.raises(RowError):
            parse(cell)


def test_sex_and_residence_by_card_code():
    assert card_choice(Sex)("1") == Sex.MALE and card_choice(Sex)("2") == Sex.FEMALE
    assert card_choice(Residence)("3") == Residence.OTHER_PROVINCE
    assert card_choice(Residence)("本地") == Residence.LOCAL
    assert card_choice(Cause)("14") == Cause.UNKNOWN and card_choice(Cause)("其他/不清楚") == Cause.OTHER


def test_a_cdc_export_by_codes_imports(world):
    # A row as the county CDC's system exports it: every coded field as the card's number.
    row = injury_row(
        **{
            "性别": "2",
            "年龄": "35",
            "伤害原因": "3",
            "伤害地点": "8",
            "伤害发生时活动": "1",
            "伤害意图": "1",
            "是否饮酒": "2",
            "伤害性质": "1",
            "伤害部位": "3",
            "严重程度": "2",
            "结局": "4",
            "卡片编号": "3717990012024000123",
            "户籍": "1",
            "文化程度": "4",
            "职业": "9",
            "临床诊断": "右胫骨骨折",
            "报告时间": "2024-03-06 08:00",
        }
    )
    soldier = injury_row(**{"职业": "11", "卡片编号": "3717990012024000124", "年龄": "22"})
    result = run_import(
        "injuries",
        io.BytesIO(xlsx_bytes(INJURY_HEADERS, [row, soldier])),
        township=world.township1,
        filename="cdc.xlsx",
    )
    assert (result.imported, result.rejected) == (2, [])
    card = InjuryRecord.objects.get(source_number="3717990012024000123")
    assert (card.sex, card.occupation, card.place, card.outcome, card.education, card.residence) == (
        Sex.FEMALE,
        Occupation.FARMER,
        Place.FARM,
        Outcome.HOSPITALISED,
        Education.JUNIOR,
        Residence.LOCAL,
    )
    assert card.clinical_diagnosis == "右胫骨骨折" and card.logic_warnings == []
    assert InjuryRecord.objects.get(source_number="3717990012024000124").occupation == Occupation.SOLDIER


def test_migration_maps_stored_values_by_meaning(world):
    migration = importlib.import_module("incidents.migrations.0004_injury_card_codes_and_fields")
    old = {  # the earlier lists' codes → what they meant
        "04": Occupation.RETIRED,
        "05": Occupation.FARMER,
        "06": Occupation.WORKER,
        "07": Occupation.COMMERCE,
        "08": Occupation.OFFICE,
        "09": Occupation.PROFESSIONAL,
        "10": Occupation.UNEMPLOYED,
        "11": Occupation.OTHER,
    }
    records = {code: InjuryRecordFactory(village=world.village1) for code in old}
    for code, record in records.items():
        InjuryRecord.objects.filter(pk=record.pk).update(occupation=code, outcome="5", residence="other_province")
    migration.to_card_codes(apps, None)
    for code, record in records.items():
        record.refresh_from_db()
        assert record.occupation == old[code], code
        assert (record.outcome, record.residence) == ("4", Residence.OTHER_PROVINCE)  # 0004's 死亡
    outcome_codes = importlib.import_module("incidents.migrations.0007_injury_outcome_card_codes")
    outcome_codes._remap(apps, outcome_codes.TO_CARD)
    assert set(
        InjuryRecord.objects.filter(pk__in=[r.pk for r in records.values()]).values_list("outcome", flat=True)
    ) == {Outcome.DIED}


def test_outcome_migration_maps_0004s_codes_to_the_cards(world):
    migration = importlib.import_module("incidents.migrations.0007_injury_outcome_card_codes")
    meant = {"1": Outcome.DISCHARGED, "2": Outcome.HOSPITALISED, "3": Outcome.TRANSFERRED}
    meant |= {"4": Outcome.DIED, "5": Outcome.OTHER}
    records = {code: InjuryRecordFactory(village=world.village1) for code in meant}
    for code, record in records.items():
        InjuryRecord.objects.filter(pk=record.pk).update(outcome=code)
    migration._remap(apps, migration.TO_CARD)
    for code, record in records.items():
        record.refresh_from_db()
        assert record.outcome == meant[code], code
    migration._remap(apps, migration.FROM_CARD)
    assert {r.pk: r.outcome for r in InjuryRecord.objects.filter(pk__in=[r.pk for r in records.values()])} == {
        r.pk: code for code, r in records.items()
    }


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2", Outcome.OBSERVED),
        ("4", Outcome.HOSPITALISED),
        ("5", Outcome.DIED),
        ("6", Outcome.OTHER),
        ("留观", Outcome.OBSERVED),
        ("离院", Outcome.DISCHARGED),
    ],
)
def test_outcome_cells_by_the_cards_code_or_label(cell, expected):
    assert card_choice(Outcome)(cell) == expected


def test_combined_other_unknown_labels_read_as_other():
    assert card_choice(Occupation)("其他/不清楚") == Occupation.OTHER
    assert card_choice(Cause)("不清楚/其他") == Cause.OTHER
    for choices in (Place, Activity, Nature, BodyPart):
        assert card_choice(choices)("其他/不清楚") == choices.OTHER
