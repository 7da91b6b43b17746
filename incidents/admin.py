from django.contrib import admin

from .models import CasualtyRevision, Incident, InjuryRecord, PersonalDataReveal, RateBaseline


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records are written through the portal's services (revisions, validation, versioned
    statistics); the admin site shows them for support and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CasualtyRevisionInline(admin.TabularInline):
    model = CasualtyRevision
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in CasualtyRevision._meta.fields if f.name != "id"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = (
        "occurred_at",
        "township",
        "village",
        "domain",
        "accident_type",
        "deaths",
        "serious_injuries",
        "minor_injuries",
        "direct_loss",
        "status",
    )
    list_filter = ("domain", "accident_type", "status", "source", "township")
    search_fields = ("address", "narrative", "village__name")
    date_hierarchy = "occurred_at"
    list_select_related = ("township", "village")
    raw_id_fields = ("village", "grid", "entity", "created_by")
    inlines = [CasualtyRevisionInline]


@admin.register(InjuryRecord)
class InjuryRecordAdmin(ReadOnlyAdmin):
    list_display = ("injured_at", "township", "village", "sex", "age", "cause", "place", "severity", "outcome")
    list_filter = ("cause", "place", "severity", "outcome", "sex", "township")
    search_fields = ("village__name", "narrative")
    date_hierarchy = "injured_at"
    list_select_related = ("township", "village")
    raw_id_fields = ("village", "grid", "incident", "created_by")
    # Names and ID numbers stay out of the admin (PIPL): they are revealed one record at a time,
    # audited, in the portal.
    fields = (
        "township",
        "incident",
        "village",
        "grid",
        "sex",
        "age",
        "residence",
        "occupation",
        "injured_at",
        "visit_at",
        "reported_at",
        "cause",
        "place",
        "activity",
        "intent",
        "alcohol",
        "nature",
        "body_part",
        "severity",
        "outcome",
        "hospital",
        "narrative",
        "created_by",
        "created_at",
        "updated_at",
    )


@admin.register(PersonalDataReveal)
class PersonalDataRevealAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "injury", "ip_address")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    readonly_fields = ("injury", "user", "ip_address", "created_at")


@admin.register(RateBaseline)
class RateBaselineAdmin(admin.ModelAdmin):
    list_display = (
        "area",
        "year",
        "population",
        "gdp",
        "motor_vehicles",
        "employees",
        "target_gdp_death",
        "target_road_death",
    )
    list_filter = ("year",)
    search_fields = ("area__name", "area__code")
    list_select_related = ("area",)
    raw_id_fields = ("area", "updated_by")
