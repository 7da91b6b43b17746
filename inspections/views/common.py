from safecommunity.choices import Role
from safecommunity.mixins import ALL_ROLES, TOWNSHIP_WRITERS

READ_ROLES = ALL_ROLES
OFFICE_ROLES = TOWNSHIP_WRITERS
FIELD_ROLES = frozenset({Role.TOWNSHIP_STAFF, Role.GRID_INSPECTOR})
COUNTY_SUPERVISORS = frozenset({Role.COUNTY_SUPERVISOR})


class TableUserMixin:
    """Hands the user to the table (masking of personal data by role)."""

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "user": self.request.user}
