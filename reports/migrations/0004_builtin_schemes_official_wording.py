"""Ships version 2 of the national on-site scoresheet (the sheet's own indicator wording, same
arithmetic), the city-level 12/45/100 sheet and the ISCCC's six indicators. Version 1 stays for
the scorecards that point at it."""

from django.db import migrations


def install(apps, schema_editor):
    from reports.builtin_schemes import install_builtin_schemes

    install_builtin_schemes(apps.get_model("reports", "AssessmentScheme"), apps.get_model("reports", "Criterion"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_briefing_series_start_year")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
