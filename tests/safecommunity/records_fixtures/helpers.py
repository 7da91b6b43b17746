"""Messy sample files for the records tests, generated on the fly (no binary fixtures)."""

import csv
import io

from django.core.exceptions import ValidationError
from django.db import models

from safecommunity.records import Column, ExportColumn, RecordKind, choice, parse_datetime, parse_int, register
from safecommunity.records.cells import limited_text


def write_csv(path, rows, encoding="utf-8", delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path, rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


class Cause(models.TextChoices):
    TRAFFIC = "traffic", "机动车车祸"
    FALL = "fall", "跌倒/坠落"
    BURN = "burn", "烧烫伤"


# The "database" of the in-memory kind: natural key → data.
SAVED: dict[tuple, dict] = {}


@register
class SampleInjuryKind(RecordKind):
    """A kind with dates, a code list and numbers, saved in memory; the service refuses the
    place "拒绝" with a ValidationError as a real service would."""

    name = "test_injuries"
    label = "测试伤害"
    columns = [
        Column("发生时间", "occurred_at", parse_datetime, required=True),
        Column("地点", "place", limited_text(20), required=True),
        Column("原因", "cause", choice(Cause), required=True),
        Column("人数", "count", lambda v: parse_int(v, min_value=0)),
    ]
    export_columns = [ExportColumn("地点", "place")]

    def natural_key(self, data):
        return (data["occurred_at"], data["place"])

    def existing_keys(self, keys, *, township):
        return {k for k in keys if k in SAVED}

    def save_row(self, data, *, township, user):
        if data["place"] == "拒绝":
            raise ValidationError({"place": "该地点不允许"})
        SAVED[self.natural_key(data)] = dict(data)

    def sample_rows(self, n, township):
        return [[f"2024-01-01 {i % 24:02d}:{i % 60:02d}", f"地点{i}", "1", i % 5] for i in range(n)]
