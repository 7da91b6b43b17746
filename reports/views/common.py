"""Helpers shared by the report pages: files handed out as attachments (``safecommunity.downloads``)."""

from safecommunity.downloads import pdf_attachment, safe_filename

__all__ = ["pdf_attachment", "safe_filename"]
