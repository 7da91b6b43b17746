"""Ships the national on-site scoresheet and the county yearly assessment scheme."""

from django.db import migrations


def install(apps, schema_editor):
    from reports.builtin_schemes import install_builtin_schemes

    install_builtin_schemes(apps.get_model("reports", "AssessmentScheme"), apps.get_model("reports", "Criterion"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
