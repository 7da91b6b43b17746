"""Who may do what: the role sets every view, service and template flag checks, each named by
what it allows. These are the only role sets in the code; a view declares one
(``allowed_roles = permissions.READ_LEDGERS``), a function view or a service checks one.

The role alone never grants a row: every query also starts from ``for_user`` (the user's
township or county; a grid inspector's own grids), so another township's row is a 404.
"""

from .choices import Role

# --- Where a role's user sits in the administrative tree (``User.clean``, ``is_county_level``) ---
TOWNSHIP_LEVEL_ROLES = frozenset({Role.TOWNSHIP_STAFF, Role.GRID_INSPECTOR, Role.COMMITTEE_MEMBER})
COUNTY_LEVEL_ROLES = frozenset({Role.COUNTY_SUPERVISOR, Role.ADMINISTRATOR})

# --- Reading ------------------------------------------------------------------------------------
#: The ledgers (incidents, injuries, entities, inspections, hazards) and the download centre:
#: every role, each within its scope (a grid inspector: their own grids).
READ_LEDGERS = frozenset(Role)
#: The committee's work, projects, dashboards and briefings: everyone but grid inspectors, who
#: work on their grids only.
READ_COMMITTEE_WORK = frozenset(
    {Role.TOWNSHIP_STAFF, Role.COMMITTEE_MEMBER, Role.COUNTY_SUPERVISOR, Role.ADMINISTRATOR}
)
#: Assessment rounds' scorecards: the township's staff and the county.
READ_SCORECARDS = frozenset({Role.TOWNSHIP_STAFF, Role.COUNTY_SUPERVISOR, Role.ADMINISTRATOR})
#: Names and ID numbers in full (one record at a time, audited).
SEE_PERSONAL_DATA = frozenset({Role.TOWNSHIP_STAFF})
#: Statistics with every small count as it is; every other role (committee members, grid
#: inspectors) sees counts below the county's threshold as "<5" (analysis.suppression).
SEE_SMALL_COUNTS = frozenset({Role.TOWNSHIP_STAFF, Role.COUNTY_SUPERVISOR, Role.ADMINISTRATOR})

# --- Writing ------------------------------------------------------------------------------------
#: Create and edit the township's own rows (committee, projects, incidents, entity files,
#: enforcement documents, briefings) and import ledgers.
EDIT_TOWNSHIP = frozenset({Role.TOWNSHIP_STAFF})
#: Issue enforcement documents (责令限期整改指令书, 整改复查意见书): the township's staff and the
#: county's officers, each in the name of their own authority.
ISSUE_ENFORCEMENT = frozenset({Role.TOWNSHIP_STAFF, Role.COUNTY_SUPERVISOR})
#: Update an action item (committee members: the ones assigned to them) and record attendance.
UPDATE_ACTION_ITEMS = frozenset({Role.TOWNSHIP_STAFF, Role.COMMITTEE_MEMBER})
#: Record inspections and work hazards (register, rectify, submit, verify).
WORK_IN_FIELD = frozenset({Role.TOWNSHIP_STAFF, Role.GRID_INSPECTOR})
#: The county office's pages: reference data, rate baselines, assessment rounds and their summary.
RUN_COUNTY_OFFICE = frozenset({Role.COUNTY_SUPERVISOR, Role.ADMINISTRATOR})
#: Create and edit the rows of one's own unit: township staff their township's, the county
#: office the county's own rows (``CountyOwnedModel``: its committee, meetings, activities,
#: briefings). Which rows a user of the set may write is ``generic.may_write``.
EDIT_OWN_UNIT = EDIT_TOWNSHIP | RUN_COUNTY_OFFICE
#: Score assessments and put a major hazard under county supervision (挂牌督办).
SUPERVISE = frozenset({Role.COUNTY_SUPERVISOR})
#: Users, roles and the audit log of the county.
ADMINISTER = frozenset({Role.ADMINISTRATOR})
