from django.contrib import admin

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


class DesignationInline(admin.TabularInline):
    model = Designation
    extra = 0


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "township", "community_type", "stage"]
    list_filter = ["community_type", "stage"]
    search_fields = ["name", "township__name"]
    inlines = [DesignationInline]


@admin.register(MemberUnit)
class MemberUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "township"]
    search_fields = ["name"]
    list_filter = ["township"]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "unit", "post", "township", "user"]
    list_filter = ["position", "township"]
    search_fields = ["name", "post", "unit__name"]
    raw_id_fields = ["user"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "lead", "township", "sort_order"]
    list_filter = ["township"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(LocalRole)
class LocalRoleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "village", "enterprise", "township"]
    list_filter = ["kind", "township"]
    search_fields = ["name", "enterprise"]


class VolunteerInline(admin.TabularInline):
    model = Volunteer
    extra = 0


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "village", "leader", "township"]
    list_filter = ["township"]
    search_fields = ["name"]
    inlines = [VolunteerInline]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "held_on", "township"]
    list_filter = ["kind", "township"]
    search_fields = ["title", "minutes"]
    date_hierarchy = "held_on"
    inlines = [AttendanceInline]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "owner_member", "owner_user", "due_on", "status", "township"]
    list_filter = ["status", "township"]
    search_fields = ["title"]
    raw_id_fields = ["owner_user", "meeting"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["year", "party_kind", "village", "enterprise", "signed_on", "township"]
    list_filter = ["year", "party_kind", "township"]
    search_fields = ["enterprise", "village__name"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "held_on", "participants", "materials", "township"]
    list_filter = ["kind", "township"]
    search_fields = ["title", "organiser"]
    date_hierarchy = "held_on"


@admin.register(AwarenessSurvey)
class AwarenessSurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "conducted_on", "sample_size", "aware_count", "participating_count", "township"]
    list_filter = ["township"]
