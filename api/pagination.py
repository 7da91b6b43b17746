from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Opaque cursors (``?cursor=``) over the id, newest first: stable while rows are added."""

    ordering = ("-id",)
    page_size_query_param = "page_size"
    max_page_size = 500
