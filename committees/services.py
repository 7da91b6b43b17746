"""Writes of the committees app: keyword-only, atomic, ``full_clean()`` before ``save()``."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import services as notifications
from safecommunity.choices import Role
from safecommunity.exceptions import ApplicationError
from safecommunity.services import model_update

from .choices import ActionStatus
from .models import (
    ActionItem,
    Activity,
    Agreement,
    Attendance,
    AwarenessSurvey,
    CommitteeMember,
    Community,
    Designation,
    LocalRole,
    Meeting,
    MemberUnit,
    Volunteer,
    VolunteerTeam,
    WorkingGroup,
)

# Fields a service may set on each model (everything else is the server's: township, status...).
_EDITABLE = {
    Community: ["name", "community_type", "stage", "committee_name", "office_location", "office_phone", "launched_on"],
    MemberUnit: ["name", "duties"],
    CommitteeMember: ["name", "position", "unit", "post", "phone", "term_start", "term_end", "in_office", "user"],
    WorkingGroup: ["name", "lead", "duties", "sort_order"],
    LocalRole: ["kind", "name", "village", "enterprise", "phone"],
    VolunteerTeam: ["name", "village", "leader", "duties"],
    Meeting: ["kind", "title", "held_on", "place", "chair", "recorder", "agenda", "minutes", "decisions", "issuer"],
    Agreement: [
        "party_kind",
        "village",
        "enterprise",
        "year",
        "township_signatory",
        "party_signatory",
        "targets",
        "signed_on",
        "signed_scan",
    ],
    Activity: ["kind", "title", "held_on", "place", "village", "organiser", "participants", "materials", "description"],
    AwarenessSurvey: ["title", "conducted_on", "sample_size", "aware_count", "participating_count", "target", "notes"],
}


def _apply(obj, fields: dict):
    return model_update(instance=obj, fields=_EDITABLE[type(obj)], data=fields)


def _create(model, *, township, **fields):
    return _apply(model(township=township), fields)


@transaction.atomic
def community_save(*, township, community: Community | None = None, **fields) -> Community:
    if community is None:
        if Community.objects.filter(township=township).exists():
            raise ApplicationError(_("本乡镇已有安全社区档案"))
        community = Community(township=township)
    return _apply(community, fields)


@transaction.atomic
def designation_add(
    *,
    community: Community,
    level: str,
    designated_on: date,
    expires_on: date,
    issuer: str = "",
    certificate_no: str = "",
) -> Designation:
    designation = Designation(
        community=community,
        level=level,
        designated_on=designated_on,
        expires_on=expires_on,
        issuer=issuer,
        certificate_no=certificate_no,
    )
    designation.full_clean()
    designation.save()
    return designation


@transaction.atomic
def member_unit_create(*, township, **fields) -> MemberUnit:
    return _create(MemberUnit, township=township, **fields)


@transaction.atomic
def member_create(*, township, **fields) -> CommitteeMember:
    return _create(CommitteeMember, township=township, **fields)


@transaction.atomic
def member_update(*, member: CommitteeMember, **fields) -> CommitteeMember:
    return _apply(member, fields)


@transaction.atomic
def working_group_save(*, township=None, group: WorkingGroup | None = None, members=None, **fields) -> WorkingGroup:
    group = group or WorkingGroup(township=township)
    _apply(group, fields)
    if members is not None:
        members = list(members)
        if any(m.township_id != group.township_id for m in members):
            raise ApplicationError(_("成员不属于本乡镇"))
        group.members.set(members)
    return group


@transaction.atomic
def local_role_save(*, township=None, role: LocalRole | None = None, **fields) -> LocalRole:
    return _apply(role or LocalRole(township=township), fields)


@transaction.atomic
def volunteer_team_save(*, township=None, team: VolunteerTeam | None = None, **fields) -> VolunteerTeam:
    return _apply(team or VolunteerTeam(township=township), fields)


@transaction.atomic
def volunteer_add(*, team: VolunteerTeam, name: str, phone: str = "", joined_on=None) -> Volunteer:
    volunteer = Volunteer(team=team, name=name, phone=phone, joined_on=joined_on)
    volunteer.full_clean()
    volunteer.save()
    return volunteer


@transaction.atomic
def meeting_save(*, township=None, meeting: Meeting | None = None, **fields) -> Meeting:
    return _apply(meeting or Meeting(township=township), fields)


@transaction.atomic
def meeting_record_attendance(
    *, meeting: Meeting, member: CommitteeMember, present: bool, absence_reason: str = ""
) -> Attendance:
    attendance = Attendance.objects.filter(meeting=meeting, member=member).first() or Attendance(
        meeting=meeting, member=member
    )
    attendance.present = present
    attendance.absence_reason = absence_reason
    attendance.full_clean()
    attendance.save()
    return attendance


@transaction.atomic
def action_item_create(
    *,
    township,
    title: str,
    due_on: date,
    meeting: Meeting | None = None,
    owner_member: CommitteeMember | None = None,
    owner_user=None,
) -> ActionItem:
    if meeting is not None and meeting.township_id != township.pk:
        raise ApplicationError(_("会议不属于本乡镇"))
    item = ActionItem(
        township=township, meeting=meeting, title=title, due_on=due_on, owner_member=owner_member, owner_user=owner_user
    )
    item.full_clean()
    item.save()
    notifications.action_item_assigned(item=item)  # the owner, sent after the commit
    return item


@transaction.atomic
def meeting_create_action_items(
    *,
    meeting: Meeting,
    owner_member: CommitteeMember | None = None,
    owner_user=None,
    due_on: date | None = None,
    assignments: dict | None = None,
) -> list[ActionItem]:
    """Decision lines of the minutes become action items (skipping those that already exist).
    ``assignments`` ({line: (owner_member, due_on)}) gives each decision its own owner and due
    date, and only those lines become items; without it every line gets ``owner_member``/``due_on``."""
    existing = set(meeting.action_items.values_list("title", flat=True))
    shared = assignments is None
    if shared:
        assignments = {line: (owner_member, due_on) for line in meeting.decision_lines()}
    return [
        action_item_create(
            township=meeting.township,
            meeting=meeting,
            title=line[:300],
            due_on=due,
            owner_member=owner,
            owner_user=owner_user if shared else None,
        )
        for line, (owner, due) in assignments.items()
        if line[:300] not in existing
    ]


def can_update_action_item(user, item: ActionItem) -> bool:
    """Township staff update every item of their township; a committee member only their own."""
    if user.role == Role.TOWNSHIP_STAFF and user.area_id == item.township_id:
        return True
    if user.role == Role.COMMITTEE_MEMBER and user.area_id == item.township_id:
        return item.is_owned_by(user)
    return False


@transaction.atomic
def action_item_update_status(
    *, item: ActionItem, user, status: str, progress_note: str | None = None, today: date | None = None
) -> ActionItem:
    if not can_update_action_item(user, item):
        raise PermissionDenied(_("只能办理分配给自己的事项"))
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    item.status = status
    if progress_note is not None:
        item.progress_note = progress_note
    if status == ActionStatus.DONE:
        item.done_on = item.done_on or today or timezone.localdate()
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def action_item_update(*, item: ActionItem, **fields) -> ActionItem:
    owners = (item.owner_member_id, item.owner_user_id)
    item = model_update(instance=item, fields={"title", "owner_member", "owner_user", "due_on", "meeting"}, data=fields)
    if (item.owner_member_id, item.owner_user_id) != owners:
        notifications.action_item_assigned(item=item)  # a new owner
    return item


@transaction.atomic
def agreement_save(*, township=None, agreement: Agreement | None = None, **fields) -> Agreement:
    return _apply(agreement or Agreement(township=township), fields)


@transaction.atomic
def activity_save(*, township=None, activity: Activity | None = None, **fields) -> Activity:
    return _apply(activity or Activity(township=township), fields)


@transaction.atomic
def survey_save(*, township=None, survey: AwarenessSurvey | None = None, **fields) -> AwarenessSurvey:
    return _apply(survey or AwarenessSurvey(township=township), fields)
