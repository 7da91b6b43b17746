"""伤害结局 with the card's own codes: 1 处理后离院, 2 留观, 3 转院, 4 住院, 5 死亡, 6 其他 (the CDC
export's codes; docs/domain.md). Migration 0004 had renumbered them from memory (2 住院, 4 死亡,
5 其他, no 留观); stored values are mapped back by meaning. Records that 0004 moved from 留观 to 其他
cannot be told apart from real 其他 and stay 其他. The summary triggers count 死亡 by its code, so
they are recreated and the summary tables rebuilt from the raw rows (PostgreSQL only)."""

from django.db import migrations, models

# 0004's codes → the card's, by meaning (one UPDATE: every row is mapped from its old value at once).
TO_CARD = {"2": "4", "4": "5", "5": "6"}  # 住院, 死亡, 其他; 1 处理后离院 and 3 转院 keep their codes
FROM_CARD = {"2": "5", "4": "2", "5": "4", "6": "5"}  # back: 留观 had no code there → 其他


def _remap(apps, mapping):
    from django.db.models import Case, F, Value, When

    InjuryRecord = apps.get_model("incidents", "InjuryRecord")
    whens = [When(outcome=old, then=Value(new)) for old, new in mapping.items()]
    InjuryRecord.objects.filter(outcome__in=list(mapping)).update(outcome=Case(*whens, default=F("outcome")))


def _resummarise(schema_editor):
    from incidents.summary import install

    install(schema_editor, rebuild=True)


def to_card_codes(apps, schema_editor):
    _remap(apps, TO_CARD)
    _resummarise(schema_editor)


def from_card_codes(apps, schema_editor):
    _remap(apps, FROM_CARD)
    _resummarise(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0006_summary_tables")]

    operations = [
        migrations.AlterField(
            model_name="injuryrecord",
            name="outcome",
            field=models.CharField(
                choices=[("1", "处理后离院"), ("2", "留观"), ("3", "转院"), ("4", "住院"), ("5", "死亡"), ("6", "其他")],
                max_length=1,
                verbose_name="结局",
            ),
        ),
        migrations.RunPython(to_card_codes, from_card_codes),
    ]
