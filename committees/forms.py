from django import forms
from django.utils.translation import gettext_lazy as _

from safecommunity.choices import Role
from safecommunity.forms import ScopedModelForm
from safecommunity.models import User
from safecommunity.uploads import validate_scan

from .choices import ActionStatus
from .models import (
    ActionItem,
    Activity,
    Agreement,
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

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def township_users(user, roles=None):
    """Login accounts of the form user's township (the User model has no ``for_user``)."""
    qs = User.objects.filter(area_id=user.area_id, is_active=True) if user is not None else User.objects.none()
    if roles:
        qs = qs.filter(role__in=roles)
    return qs.order_by("username")


class CommunityForm(ScopedModelForm):
    class Meta:
        model = Community
        fields = ["name", "community_type", "stage", "committee_name", "office_location", "office_phone", "launched_on"]
        widgets = {"launched_on": DATE}


class DesignationForm(ScopedModelForm):
    class Meta:
        model = Designation
        fields = ["level", "designated_on", "expires_on", "issuer", "certificate_no"]
        widgets = {"designated_on": DATE, "expires_on": DATE}


class MemberUnitForm(ScopedModelForm):
    class Meta:
        model = MemberUnit
        fields = ["name", "duties"]


class CommitteeMemberForm(ScopedModelForm):
    class Meta:
        model = CommitteeMember
        fields = ["name", "position", "unit", "post", "phone", "term_start", "term_end", "in_office", "user"]
        widgets = {"term_start": DATE, "term_end": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = township_users(self.user, [Role.COMMITTEE_MEMBER, Role.TOWNSHIP_STAFF])


class WorkingGroupForm(ScopedModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["name", "lead", "members", "duties", "sort_order"]
        widgets = {"members": forms.CheckboxSelectMultiple}


class LocalRoleForm(ScopedModelForm):
    class Meta:
        model = LocalRole
        fields = ["kind", "name", "village", "enterprise", "phone"]


class VolunteerTeamForm(ScopedModelForm):
    class Meta:
        model = VolunteerTeam
        fields = ["name", "village", "leader", "duties"]


class VolunteerForm(ScopedModelForm):
    class Meta:
        model = Volunteer
        fields = ["name", "phone", "joined_on"]
        widgets = {"joined_on": DATE}


class MeetingForm(ScopedModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "title", "held_on", "place", "chair", "recorder", "agenda", "minutes", "decisions", "issuer"]
        widgets = {
            "held_on": DATE,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }


class AttendanceForm(forms.Form):
    """One row per committee member: present, or absent with a reason."""

    def __init__(self, *args, members, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for m in members:
            a = existing.get(m.pk)
            self.fields[f"present_{m.pk}"] = forms.BooleanField(
                label=m.name, required=False, initial=a.present if a else True
            )
            self.fields[f"reason_{m.pk}"] = forms.CharField(
                label=_("缺席原因"), required=False, max_length=200, initial=a.absence_reason if a else ""
            )

    def rows(self):
        return [(m, self[f"present_{m.pk}"], self[f"reason_{m.pk}"]) for m in self.members]

    def clean(self):
        data = super().clean()
        for m in self.members:
            if not data.get(f"present_{m.pk}") and not data.get(f"reason_{m.pk}"):
                self.add_error(f"reason_{m.pk}", _("缺席须注明原因"))
        return data


class DecisionsToItemsForm(forms.Form):
    """Turns the meeting's decisions (议定事项) into action items, each with its own owner and due
    date; a decision left without an owner is not turned into an item yet. Decisions that are
    items already are not offered again."""

    def __init__(self, *args, meeting, user, **kwargs):
        super().__init__(*args, **kwargs)
        members = CommitteeMember.objects.for_user(user).filter(township=meeting.township).order_by("name")
        existing = set(meeting.action_items.values_list("title", flat=True))
        self.lines = [line for line in meeting.decision_lines() if line[:300] not in existing]
        for i, line in enumerate(self.lines):
            self.fields[f"owner_{i}"] = forms.ModelChoiceField(label=line, queryset=members, required=False)
            self.fields[f"due_{i}"] = forms.DateField(label=_("完成期限"), required=False, widget=DATE)

    def rows(self):
        return [(line, self[f"owner_{i}"], self[f"due_{i}"]) for i, line in enumerate(self.lines)]

    def clean(self):
        data = super().clean()
        for i, _line in enumerate(self.lines):
            owner, due = data.get(f"owner_{i}"), data.get(f"due_{i}")
            if owner and not due:
                self.add_error(f"due_{i}", _("请填写完成期限"))
            elif due and not owner:
                self.add_error(f"owner_{i}", _("请选择责任人"))
        if not self.errors and not self.assignments():
            raise forms.ValidationError(_("请为至少一项议定事项选择责任人和完成期限"))
        return data

    def assignments(self) -> dict:
        """{decision: (owner, due date)} of the decisions given an owner."""
        data = self.cleaned_data
        return {
            line: (data[f"owner_{i}"], data[f"due_{i}"])
            for i, line in enumerate(self.lines)
            if data.get(f"owner_{i}") and data.get(f"due_{i}")
        }


class ActionItemForm(ScopedModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "meeting", "owner_member", "owner_user", "due_on"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = township_users(self.user)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=ActionStatus.choices)
    progress_note = forms.CharField(label=_("办理情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AgreementForm(ScopedModelForm):
    class Meta:
        model = Agreement
        fields = [
            "party_kind",
            "village",
            "enterprise",
            "year",
            "township_signatory",
            "party_signatory",
            "targets",
            "signed_on",
            "signed_scan",
        ]
        widgets = {"signed_on": DATE}

    def clean_signed_scan(self):
        f = self.cleaned_data.get("signed_scan")
        if f and hasattr(f, "content_type"):
            validate_scan(f)
        return f


class ActivityForm(ScopedModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "held_on",
            "place",
            "village",
            "organiser",
            "participants",
            "materials",
            "description",
        ]
        widgets = {"held_on": DATE}


class AwarenessSurveyForm(ScopedModelForm):
    class Meta:
        model = AwarenessSurvey
        fields = ["title", "conducted_on", "sample_size", "aware_count", "participating_count", "target", "notes"]
        widgets = {"conducted_on": DATE}
