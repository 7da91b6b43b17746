"""The built-in kinds of supervised place become each county's data (the county may switch one
off or add its own); the stored codes do not change, so every existing row keeps its value."""

from django.db import migrations

BUILTIN = [
    ("enterprise", "企业", False),
    ("small_school", "小学校/幼儿园", True),
    ("small_hospital", "小医院", True),
    ("small_shop", "小商店", True),
    ("small_restaurant", "小餐饮", True),
    ("small_hotel", "小旅馆", True),
    ("small_ktv", "小歌舞娱乐", True),
    ("small_internet_cafe", "小网吧", True),
    ("small_beauty_bath", "小美容洗浴", True),
    ("small_workshop", "小生产加工企业", True),
]


def seed(apps, schema_editor):
    Area = apps.get_model("safecommunity", "Area")
    Option = apps.get_model("inspections", "EntityKindOption")
    for county in Area.objects.filter(level="county"):
        for order, (code, name, small) in enumerate(BUILTIN, start=1):
            Option.objects.get_or_create(
                county=county,
                code=code,
                defaults={"name": name, "is_small_place": small, "is_builtin": True, "order": order},
            )


def unseed(apps, schema_editor):
    apps.get_model("inspections", "EntityKindOption").objects.filter(is_builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0006_enforcement_places_kinds")]

    operations = [migrations.RunPython(seed, unseed)]
