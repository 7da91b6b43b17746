"""The shared tabular import/export engine ("records").

Apps register record kinds in ``<app>/records.py`` (see ``registry.RecordKind``); the list
pages, the ``import_records``/``export_records`` commands and the import pages use them.
"""

from .cells import (
    RowError,
    choice,
    clean_text,
    limited_text,
    parse_choice,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_int,
)
from .importer import ImportResult, run_import, write_rejects
from .reading import FileRejected, open_table
from .registry import Column, ExportColumn, PendingRow, RecordKind, get_kind, masked, register

# ``kinds()`` (every registered kind) lives in ``registry``: ``safecommunity.records.kinds`` is
# the module with the project package's own kinds.
from .writing import export_response, neutralise, template_response, write_export

__all__ = [
    "Column",
    "ExportColumn",
    "FileRejected",
    "ImportResult",
    "PendingRow",
    "RecordKind",
    "RowError",
    "choice",
    "clean_text",
    "export_response",
    "get_kind",
    "limited_text",
    "masked",
    "neutralise",
    "open_table",
    "parse_choice",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "parse_int",
    "register",
    "run_import",
    "template_response",
    "write_export",
    "write_rejects",
]
