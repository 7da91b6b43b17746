from django.contrib import admin

from .models import CasualtyRevision, Incident, InjuryRecord, PersonalDataReveal, RateBaseline


class CasualtyRevisionInline(admin.TabularInline):
    model = CasualtyRevision
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in CasualtyRevision._meta.fields if f.name != "id"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "township", "village", "domain", "accident_type", "deaths", "serious_injuries",
                    "minor_injuries", "direct_loss", "status")
    list_filter = ("domain", "accident_type", "status", "source", "township")
    search_fields = ("address", "narrative", "village__name")
    date_hierarchy = "occurred_at"
    list_select_related = ("township", "village")
    raw_id_fields = ("village", "grid", "entity", "created_by")
    inlines = [CasualtyRevisionInline]


@admin.register(InjuryRecord)
class InjuryRecordAdmin(admin.ModelAdmin):
    list_display = ("injured_at", "township", "village", "sex", "age", "cause", "place", "severity", "outcome")
    list_filter = ("cause", "place", "severity", "outcome", "sex", "township")
    search_fields = ("village__name", "narrative")
    date_hierarchy = "injured_at"
    list_select_related = ("township", "village")
    raw_id_fields = ("village", "grid", "incident", "created_by")
    # Names and ID numbers stay out of the admin's lists and searches (PIPL).
    exclude = ("name", "id_number")


@admin.register(PersonalDataReveal)
class PersonalDataRevealAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "injury", "ip_address")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    readonly_fields = ("injury", "user", "ip_address", "created_at")


@admin.register(RateBaseline)
class RateBaselineAdmin(admin.ModelAdmin):
    list_display = ("area", "year", "population", "gdp", "motor_vehicles", "employees", "target_gdp_death",
                    "target_road_death")
    list_filter = ("year",)
    search_fields = ("area__name", "area__code")
    list_select_related = ("area",)
    raw_id_fields = ("area", "updated_by")
