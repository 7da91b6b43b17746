"""Summary tables of incidents and injury records (township × day, township × month × dimension).

The county dashboard, the statistics page, briefings and scorecards read these small tables
instead of the raw rows (one county: 1,000,000 injury records → about 20,000 day rows and
150,000 month rows). They are never stale: on PostgreSQL, statement-level triggers with
transition tables keep them in the same transaction as every write, whichever door it came in by
(services, the importer's ``bulk_create``, the API, the admin, ``QuerySet.update``/``delete``,
raw SQL): an insert adds its rows, a delete subtracts them, an update subtracts the old row and
adds the new one, so an edit that moves a record to another day, month, township, village or code
moves its count. One statement aggregates all its rows first, so a batch of 1,000 imported cards
costs a handful of upserts, not 8,000; the upserts go in key order (no deadlock between two
writers of the same township).

Days and months are local dates (``settings.TIME_ZONE``, fixed into the trigger when it is
created). On SQLite (the embedded demo) there are no triggers and the selectors read the raw rows
(``enabled()`` is False): the demo's few thousand rows need no summary.
"""

from django.conf import settings
from django.db import connections, models

from .choices import Outcome

DIED = Outcome.DIED.value  # the card's code of 死亡, counted in InjuryDay.died

# Dimensions of ``MonthlyCount``: the injury card's code columns, the exact age (bands are
# summed from it), the village of an injury record and the village of an incident.
INJURY_DIMENSIONS = ("cause", "place", "activity", "sex", "severity", "outcome", "age", "village")
INCIDENT_VILLAGE = "incident_village"


def enabled(using: str = "default") -> bool:
    """True where the triggers keep the tables (PostgreSQL), unless ``SC_SUMMARY_TABLES`` is off."""
    return connections[using].vendor == "postgresql" and getattr(settings, "SC_SUMMARY_TABLES", True)


class IncidentDay(models.Model):
    """Incidents of one township, local day and statistical domain (rates need the domain)."""

    township = models.ForeignKey("safecommunity.Area", on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()
    domain = models.CharField(max_length=20)
    incidents = models.IntegerField(default=0)
    deaths = models.IntegerField(default=0)
    serious = models.IntegerField(default=0)
    minor = models.IntegerField(default=0)
    poisoned = models.IntegerField(default=0)
    loss = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["township", "day", "domain"], name="incident_day_key")]


class InjuryDay(models.Model):
    """Injury records of one township and local day (all, and those that died)."""

    township = models.ForeignKey("safecommunity.Area", on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()
    n = models.IntegerField(default=0)
    died = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["township", "day"], name="injury_day_key")]


class MonthlyCount(models.Model):
    """Rows of one township and local month by one dimension's value (see ``INJURY_DIMENSIONS``;
    villages are their id as text)."""

    township = models.ForeignKey("safecommunity.Area", on_delete=models.CASCADE, related_name="+", db_index=False)
    month = models.DateField()  # the 1st
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=20)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["township", "month", "dimension", "value"], name="monthly_count_key")
        ]
        # The breakdowns' read: an index-only range scan per township and dimension.
        indexes = [
            models.Index(fields=["township", "dimension", "month"], include=["value", "n"], name="monthly_count_read")
        ]


# --- PostgreSQL triggers ------------------------------------------------------------------------

_SOURCES = {
    "INSERT": "SELECT {columns}, 1 AS sign FROM new_rows",
    "DELETE": "SELECT {columns}, -1 AS sign FROM old_rows",
    "UPDATE": "SELECT {columns}, 1 AS sign FROM new_rows UNION ALL SELECT {columns}, -1 AS sign FROM old_rows",
}
# Only the columns the summaries read (the rows' narratives and names stay out of the sort).
_COLUMNS = {
    "incidents_injuryrecord": "township_id, injured_at, village_id, age, " + ", ".join(INJURY_DIMENSIONS[:6]),
    "incidents_incident": "township_id, occurred_at, village_id, domain, deaths, serious_injuries, "
    "minor_injuries, acute_poisonings, direct_loss",
}


def _injury_statements(src: str, tz: str) -> str:
    dims = ", ".join(
        f"('{d}', {'village_id::text' if d == 'village' else 'age::text' if d == 'age' else d})"
        for d in INJURY_DIMENSIONS
    )
    return f"""
        INSERT INTO incidents_injuryday AS t (township_id, day, n, died)
        SELECT township_id, (injured_at AT TIME ZONE '{tz}')::date,
               SUM(sign), SUM(CASE WHEN outcome = '{DIED}' THEN sign ELSE 0 END)
        FROM ({src}) s WHERE township_id IS NOT NULL
        GROUP BY 1, 2
        HAVING SUM(sign) <> 0 OR SUM(CASE WHEN outcome = '{DIED}' THEN sign ELSE 0 END) <> 0
        ORDER BY 1, 2
        ON CONFLICT (township_id, day) DO UPDATE SET n = t.n + EXCLUDED.n, died = t.died + EXCLUDED.died;
        INSERT INTO incidents_monthlycount AS t (township_id, month, dimension, value, n)
        SELECT township_id, date_trunc('month', injured_at AT TIME ZONE '{tz}')::date, v.dim, v.val, SUM(sign)
        FROM ({src}) s CROSS JOIN LATERAL (VALUES {dims}) AS v(dim, val)
        WHERE township_id IS NOT NULL
        GROUP BY 1, 2, 3, 4 HAVING SUM(sign) <> 0
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (township_id, month, dimension, value) DO UPDATE SET n = t.n + EXCLUDED.n;
    """


def _incident_statements(src: str, tz: str) -> str:
    sums = "SUM(sign), SUM(sign * deaths), SUM(sign * serious_injuries), SUM(sign * minor_injuries), " + (
        "SUM(sign * acute_poisonings), SUM(sign * direct_loss)"
    )
    return f"""
        INSERT INTO incidents_incidentday AS t
            (township_id, day, domain, incidents, deaths, serious, minor, poisoned, loss)
        SELECT township_id, (occurred_at AT TIME ZONE '{tz}')::date, domain, {sums}
        FROM ({src}) s WHERE township_id IS NOT NULL
        GROUP BY 1, 2, 3
        HAVING SUM(sign) <> 0 OR SUM(sign * deaths) <> 0 OR SUM(sign * serious_injuries) <> 0
            OR SUM(sign * minor_injuries) <> 0 OR SUM(sign * acute_poisonings) <> 0 OR SUM(sign * direct_loss) <> 0
        ORDER BY 1, 2, 3
        ON CONFLICT (township_id, day, domain) DO UPDATE SET
            incidents = t.incidents + EXCLUDED.incidents, deaths = t.deaths + EXCLUDED.deaths,
            serious = t.serious + EXCLUDED.serious, minor = t.minor + EXCLUDED.minor,
            poisoned = t.poisoned + EXCLUDED.poisoned, loss = t.loss + EXCLUDED.loss;
        INSERT INTO incidents_monthlycount AS t (township_id, month, dimension, value, n)
        SELECT township_id, date_trunc('month', occurred_at AT TIME ZONE '{tz}')::date,
               '{INCIDENT_VILLAGE}', village_id::text, SUM(sign)
        FROM ({src}) s WHERE township_id IS NOT NULL
        GROUP BY 1, 2, 3, 4 HAVING SUM(sign) <> 0
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (township_id, month, dimension, value) DO UPDATE SET n = t.n + EXCLUDED.n;
    """


_TABLES = {"incidents_injuryrecord": _injury_statements, "incidents_incident": _incident_statements}
_TRANSITIONS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def trigger_sql(tz: str | None = None) -> list[str]:
    """The functions and triggers (one per table and operation) that keep the summary tables."""
    tz = tz or settings.TIME_ZONE
    sql = []
    for table, statements in _TABLES.items():
        for op, src in _SOURCES.items():
            name = f"{table}_summary_{op.lower()}"
            sql.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"{statements(src.format(columns=_COLUMNS[table]), tz)} RETURN NULL; END $$;"
            )
            sql.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            sql.append(
                f"CREATE TRIGGER {name} AFTER {op} ON {table} {_TRANSITIONS[op]} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
            )
    return sql


def drop_trigger_sql() -> list[str]:
    sql = []
    for table in _TABLES:
        for op in _SOURCES:
            name = f"{table}_summary_{op.lower()}"
            sql += [f"DROP TRIGGER IF EXISTS {name} ON {table};", f"DROP FUNCTION IF EXISTS {name}();"]
    return sql


def rebuild_sql(tz: str | None = None) -> list[str]:
    """Empty the summary tables and fill them from the raw rows (the backfill; also a repair)."""
    tz = tz or settings.TIME_ZONE
    sql = [
        "DELETE FROM incidents_injuryday;",
        "DELETE FROM incidents_incidentday;",
        "DELETE FROM incidents_monthlycount;",
    ]
    for table, statements in _TABLES.items():
        sql.append(statements(f"SELECT {_COLUMNS[table]}, 1 AS sign FROM {table}", tz))
    return sql


def install(schema_editor, rebuild: bool = True) -> None:
    """Create the triggers and backfill (a migration's RunPython; nothing on SQLite)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        # Room on each page for the triggers' updates: HOT updates, no index entry per change.
        for table in ("incidents_injuryday", "incidents_incidentday", "incidents_monthlycount"):
            cursor.execute(f"ALTER TABLE {table} SET (fillfactor = 70)")
        for statement in trigger_sql():
            cursor.execute(statement)
        if rebuild:
            for statement in rebuild_sql():
                cursor.execute(statement)


def uninstall(schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in drop_trigger_sql():
            cursor.execute(statement)
