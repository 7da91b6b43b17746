"""Covering indexes for the county dashboard's grouped reads (issue 12): the inspections of a
period per township with their entity (done, covered: an index-only scan instead of a heap
fetch per inspection) and the hazards found in a period per township with their status and
grade. PostgreSQL only (INCLUDE); the model state is unchanged, so they are not in ``Meta``."""

from django.db import migrations

INDEXES = {
    "inspection_township_time_entity": (
        "inspections_inspection",
        "(township_id, inspected_at) INCLUDE (entity_id)",
    ),
    "hazard_township_found_status": (
        "inspections_hazard",
        "(township_id, found_on) INCLUDE (status, is_major)",
    ),
    "hazard_township_open": (
        "inspections_hazard",
        "(township_id, status, deadline) INCLUDE (is_major)",
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, columns) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("inspections", "0005_offline_sync_keys_entity_closed")]

    operations = [migrations.RunPython(create, drop)]
