"""The community, its committee, working groups, village roles and volunteer teams."""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from safecommunity.generic import (
    TownshipCreateView,
    TownshipDetailView,
    TownshipListView,
    TownshipUpdateView,
    service_data,
)
from safecommunity.mixins import ScopedAccessMixin
from safecommunity.models import Area
from safecommunity.periods import Period
from safecommunity.permissions import READ_COMMITTEE_WORK

from .. import selectors, services
from ..filters import GroupFilterSet, LocalRoleFilterSet, MemberFilterSet
from ..forms import (
    CommitteeMemberForm,
    CommunityForm,
    DesignationForm,
    LocalRoleForm,
    MemberUnitForm,
    VolunteerForm,
    VolunteerTeamForm,
    WorkingGroupForm,
)
from ..models import (
    CommitteeMember,
    Community,
    Designation,
    LocalRole,
    MemberUnit,
    Volunteer,
    VolunteerTeam,
    WorkingGroup,
)
from ..tables import LocalRoleTable, MemberTable, VolunteerTeamTable, WorkingGroupTable


class IndexView(ScopedAccessMixin, TemplateView):
    """The committee at a glance: the community, the structure, this year's work and alerts.

    A county user picks a township with ?township=<id> (default: the first of the county)."""

    allowed_roles = READ_COMMITTEE_WORK
    template_name = "committees/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        townships = Area.objects.for_user(user).townships().order_by("code")
        if user.is_township_level:
            township = user.township
        else:
            wanted = self.request.GET.get("township")
            township = (
                townships.filter(pk=wanted).first() if wanted and wanted.isdigit() else None
            ) or townships.first()
        today = timezone.localdate()
        year = Period.year(today.year)
        ctx.update(township=township, townships=townships if user.is_county_level else None, today=today)
        if township is None:
            return ctx
        community = Community.objects.filter(township=township).first()
        ctx.update(
            community=community,
            summary=selectors.community_summary(community=community, today=today) if community else None,
            structure=selectors.committee_structure(township=township),
            meetings=selectors.meeting_statistics(townships=[township], period=year),
            activities=selectors.activity_sums(townships=[township], period=year),
            actions=selectors.action_item_statistics(townships=[township], today=today),
            surveys=selectors.latest_surveys(townships=[township]),
            timeline=selectors.timeline(township=township, limit=12),
            can_edit=user.role == "township_staff",
        )
        from projects.selectors import project_progress

        ctx["projects"] = project_progress(townships=[township], today=today)
        return ctx


index = IndexView.as_view()


class CommunityDetailView(TownshipDetailView):
    model = Community
    template_name = "committees/community_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = selectors.community_summary(community=self.object, today=timezone.localdate())
        return ctx


class CommunityCreateView(TownshipCreateView):
    model = Community
    form_class = CommunityForm
    service = services.community_save
    county_rows = True  # the county's own 安全社区推进委员会


class CommunityUpdateView(TownshipUpdateView):
    model = Community
    form_class = CommunityForm
    service = services.community_save
    object_kwarg = "community"
    county_rows = True

    def perform_save(self, form):
        return services.community_save(township=self.object.township, community=self.object, **service_data(form))


class DesignationCreateView(TownshipCreateView):
    model = Designation
    form_class = DesignationForm

    def get_community(self):
        return get_object_or_404(Community.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super(TownshipCreateView, self).get_form_kwargs()
        kwargs["instance"] = Designation(community=self.get_community())
        return kwargs

    def perform_save(self, form):
        return services.designation_add(community=form.instance.community, **form.cleaned_data)


class MemberListView(TownshipListView):
    model = CommitteeMember
    template_name = "committees/list.html"
    table_class = MemberTable
    filterset_class = MemberFilterSet
    export_kind = "members"
    import_kind = "members"
    title = _("委员会成员")
    create_url_name = "committees:member_create"
    county_rows = True
    page_domains = ()  # members, their units and townships: choice models, by generation

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "township")


class MemberCreateView(TownshipCreateView):
    model = CommitteeMember
    form_class = CommitteeMemberForm
    service = services.member_create
    county_rows = True

    def get_success_url(self):
        return self.object.get_absolute_url()


class MemberUpdateView(TownshipUpdateView):
    model = CommitteeMember
    form_class = CommitteeMemberForm
    service = services.member_update
    object_kwarg = "member"
    county_rows = True


class MemberUnitCreateView(TownshipCreateView):
    model = MemberUnit
    form_class = MemberUnitForm
    service = services.member_unit_create
    county_rows = True


class GroupListView(TownshipListView):
    model = WorkingGroup
    template_name = "committees/list.html"
    table_class = WorkingGroupTable
    filterset_class = GroupFilterSet
    export_kind = "working_groups"
    title = _("工作组")
    create_url_name = "committees:group_create"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("lead", "township")
            .annotate(n_members=Count("members", distinct=True), n_projects=Count("projects", distinct=True))
            .order_by("township__code", "sort_order", "name")
        )


class GroupDetailView(TownshipDetailView):
    model = WorkingGroup
    template_name = "committees/group_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("lead", "lead__unit", "township")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["members"] = self.object.members.select_related("unit").order_by("name")
        ctx["projects"] = self.object.projects.order_by("-start_on")
        return ctx


class GroupCreateView(TownshipCreateView):
    model = WorkingGroup
    form_class = WorkingGroupForm
    service = services.working_group_save


class GroupUpdateView(TownshipUpdateView):
    model = WorkingGroup
    form_class = WorkingGroupForm
    service = services.working_group_save
    object_kwarg = "group"


class LocalRoleListView(TownshipListView):
    model = LocalRole
    template_name = "committees/list.html"
    table_class = LocalRoleTable
    filterset_class = LocalRoleFilterSet
    title = _("信息员、协管员、巡查员")
    create_url_name = "committees:localrole_create"

    def get_queryset(self):
        return super().get_queryset().select_related("village", "township")


class LocalRoleCreateView(TownshipCreateView):
    model = LocalRole
    form_class = LocalRoleForm
    service = services.local_role_save

    success_url = reverse_lazy("committees:localrole_list")


class LocalRoleUpdateView(TownshipUpdateView):
    model = LocalRole
    form_class = LocalRoleForm
    service = services.local_role_save
    object_kwarg = "role"

    success_url = reverse_lazy("committees:localrole_list")


class TeamListView(TownshipListView):
    model = VolunteerTeam
    template_name = "committees/list.html"
    table_class = VolunteerTeamTable
    filterset_class = None
    title = _("志愿者队伍")
    create_url_name = "committees:team_create"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("village", "township")
            .annotate(n_volunteers=Count("volunteers"))
            .order_by("township__code", "name")
        )


class TeamDetailView(TownshipDetailView):
    model = VolunteerTeam
    template_name = "committees/team_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["volunteers"] = self.object.volunteers.all()
        return ctx


class TeamCreateView(TownshipCreateView):
    model = VolunteerTeam
    form_class = VolunteerTeamForm
    service = services.volunteer_team_save


class TeamUpdateView(TownshipUpdateView):
    model = VolunteerTeam
    form_class = VolunteerTeamForm
    service = services.volunteer_team_save
    object_kwarg = "team"


class VolunteerCreateView(TownshipCreateView):
    model = Volunteer
    form_class = VolunteerForm

    def get_form_kwargs(self):
        kwargs = super(TownshipCreateView, self).get_form_kwargs()
        self.team = get_object_or_404(VolunteerTeam.objects.for_user(self.request.user), pk=self.kwargs["pk"])
        kwargs["instance"] = Volunteer(team=self.team)
        return kwargs

    def perform_save(self, form):
        return services.volunteer_add(team=self.team, **form.cleaned_data)
