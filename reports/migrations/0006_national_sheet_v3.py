"""Ships version 3 of the national on-site scoresheet: the published sheet's indicator texts (as
each leaf's 评分说明) and labels; the arithmetic and the pass rules are unchanged. Versions 1 and
2 stay for the scorecards that point at them."""

from django.db import migrations


def install(apps, schema_editor):
    from reports.builtin_schemes import install_builtin_schemes

    install_builtin_schemes(apps.get_model("reports", "AssessmentScheme"), apps.get_model("reports", "Criterion"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_county_briefings")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
