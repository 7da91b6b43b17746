import datetime as dt
import io

from django.core.management import call_command

from inspections.choices import HazardStatus
from inspections.models import Hazard, SupervisedEntity
from safecommunity.records.importer import run_import

from .factories import credit_code


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("gb18030"))


def test_import_entities_with_messy_cells(world, grids):
    code = credit_code(7)
    data = (
        "单位名称,统一社会信用代码,场所类别,行业,地址,所属村(社区),所属网格,法定代表人,联系电话,风险等级\n"
        f"东关五金店,{code.lower()},小商店,零售,东关路1号,东关社区,东关一网格,王五,１３９００００００００,橙\n"
        "无证小吃,,小餐饮,餐饮,东关路2号,东关社区,,赵六,,\n"
        "错村单位,,企业,,,不存在村,,,,红\n"
        "错代码单位,91350100M000100Y44,企业,,,东关社区,,,,蓝\n"
        f"东关五金店,{code},小商店,零售,东关路1号,东关社区,东关一网格,王五,13900000000,橙\n"
    )
    result = run_import(
        "entities", _csv(data), township=world.township1, user=world.users["township1"], filename="e.csv"
    )
    assert result.imported == 2 and result.duplicates == 1
    reasons = [r[3] for r in result.rejected]
    assert any("所属村" in r for r in reasons) and any("校验位" in r for r in reasons)
    shop = SupervisedEntity.objects.get(name="东关五金店")
    assert shop.credit_code == code and shop.grid == grids["grid1"] and shop.risk_colour == "orange"
    assert shop.phone == "13900000000" and shop.kind == "small_shop"
    again = run_import(
        "entities", _csv(data), township=world.township1, user=world.users["township1"], filename="e.csv"
    )
    assert again.imported == 0


def test_import_hazard_ledger_including_closed(world, entities):
    code = entities["e1"].credit_code
    data = (
        "监管对象,统一社会信用代码,隐患等级,隐患描述,发现日期,整改期限,状态\n"
        f"东关机械厂,{code},一般隐患,灭火器过期,2026/3/1,2026年3月10日,已销号\n"
        "西关饭店,,重大,燃气管道老化,2026-04-01,2026-05-01,整改中\n"
        "不存在单位,,一般隐患,某隐患,2026-04-01,2026-05-01,\n"
        "西关饭店,,特别重大,某隐患,2026-04-01,2026-05-01,\n"
    )
    result = run_import(
        "hazards", _csv(data), township=world.township1, user=world.users["township1"], filename="h.csv"
    )
    assert result.imported == 2, result.rejected
    assert len(result.rejected) == 2
    closed = Hazard.objects.get(description="灭火器过期")
    assert closed.status == HazardStatus.CLOSED and closed.closed_on == dt.date(2026, 3, 10)
    assert not closed.is_overdue(dt.date(2026, 6, 1))
    major = Hazard.objects.get(description="燃气管道老化")
    assert major.is_major and major.status == HazardStatus.RECTIFYING
    assert major.events.get().action == "import"


def test_export_records_command_writes_hazards_with_computed_columns(world, entities, tmp_path):
    from .factories import HazardFactory

    HazardFactory(
        entity=entities["e1"],
        registered_by=world.users["inspector1"],
        description="逾期的",
        deadline=dt.date(2020, 1, 1),
        found_on=dt.date(2019, 12, 1),
    )
    path = tmp_path / "hazards.csv"
    call_command("export_records", "hazards", "--out", str(path), "--township", "371799001", stdout=io.StringIO())
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].split(",")[:7] == [
        "监管对象",
        "统一社会信用代码",
        "隐患等级",
        "隐患描述",
        "发现日期",
        "整改期限",
        "状态",
    ]
    assert "是否逾期" in lines[0] and "逾期的" in lines[1] and ",是," in lines[1]
