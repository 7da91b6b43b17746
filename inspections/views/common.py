class TableUserMixin:
    """Hands the user to the table (masking of personal data by role)."""

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "user": self.request.user}
