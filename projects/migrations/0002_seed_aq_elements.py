"""The 12 elements of AQ/T 9001-2006《安全社区建设基本要求》 (reference data)."""

from django.db import migrations

ELEMENTS = [
    (1, "安全社区创建机构与职责"),
    (2, "信息交流和全员参与"),
    (3, "事故与伤害风险辨识及其评价"),
    (4, "事故与伤害预防目标及计划"),
    (5, "安全促进项目"),
    (6, "宣传教育与培训"),
    (7, "应急预案和响应"),
    (8, "监测与监督"),
    (9, "事故与伤害记录"),
    (10, "安全社区创建档案"),
    (11, "预防与纠正措施"),
    (12, "评审与持续改进"),
]


def seed(apps, schema_editor):
    AqElement = apps.get_model("projects", "AqElement")
    for number, name in ELEMENTS:
        AqElement.objects.update_or_create(number=number, defaults={"name": name})


def unseed(apps, schema_editor):
    apps.get_model("projects", "AqElement").objects.filter(number__in=[n for n, _ in ELEMENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
