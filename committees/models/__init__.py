from auditlog.registry import auditlog

from safecommunity import datacache

from .activities import AWARENESS_TARGET, Activity, AwarenessSurvey
from .community import (
    REEVALUATION_ALERT_MONTHS,
    CommitteeMember,
    Community,
    Designation,
    LocalRole,
    MemberUnit,
    Volunteer,
    VolunteerTeam,
    WorkingGroup,
)
from .meetings import ActionItem, Agreement, Attendance, Meeting

__all__ = [
    "AWARENESS_TARGET",
    "REEVALUATION_ALERT_MONTHS",
    "ActionItem",
    "Activity",
    "Agreement",
    "Attendance",
    "AwarenessSurvey",
    "CommitteeMember",
    "Community",
    "Designation",
    "LocalRole",
    "Meeting",
    "MemberUnit",
    "Volunteer",
    "VolunteerTeam",
    "WorkingGroup",
]

auditlog.register(Community)
auditlog.register(Designation)
auditlog.register(MemberUnit)
auditlog.register(CommitteeMember, mask_fields=["phone"])
auditlog.register(WorkingGroup, m2m_fields={"members"})
auditlog.register(LocalRole, mask_fields=["phone"])
auditlog.register(VolunteerTeam)
auditlog.register(Volunteer, mask_fields=["name", "phone"])
auditlog.register(Meeting)
auditlog.register(Attendance)
auditlog.register(ActionItem)
auditlog.register(Agreement)
auditlog.register(Activity)
auditlog.register(AwarenessSurvey)

# Dashboards, briefings and list counts are cached per data version (safecommunity.datacache).
for _model in (Meeting, ActionItem, Activity, AwarenessSurvey, Community):
    datacache.track(_model, "committees")
