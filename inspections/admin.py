from django.contrib import admin

from safecommunity.admin import CountyAdminMixin

from .models import (
    ChecklistItem,
    ChecklistTemplate,
    Enforcement,
    EntityGrading,
    Grid,
    Hazard,
    HazardEvent,
    HazardGrade,
    Inspection,
    InspectionFrequency,
    SupervisedEntity,
    SupervisionClassDefinition,
)
from .services import frequency_set


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "village", "inspector", "head", "households"]
    search_fields = ["code", "name", "village__name"]
    list_filter = ["township"]
    raw_id_fields = ["village", "inspector", "head"]


@admin.register(SupervisedEntity)
class SupervisedEntityAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "kind", "village", "grid", "risk_colour", "supervision_class", "next_due_on"]
    search_fields = ["name", "credit_code"]
    list_filter = ["kind", "risk_colour", "supervision_class", "summons_required", "township"]
    raw_id_fields = ["village", "grid"]
    readonly_fields = ["last_inspected_on", "next_due_on", "summons_required"]


@admin.register(EntityGrading)
class EntityGradingAdmin(admin.ModelAdmin):
    list_display = ["entity", "year", "risk_colour", "supervision_class", "graded_by"]
    list_filter = ["year", "supervision_class"]
    search_fields = ["entity__name"]
    raw_id_fields = ["entity"]


class CountyConfigAdmin(CountyAdminMixin, admin.ModelAdmin):
    """County reference data: an administrator sees and edits only their own county's rows."""

    scope_field = "county__code"
    list_select_related = ["county"]


@admin.register(InspectionFrequency)
class InspectionFrequencyAdmin(CountyConfigAdmin):
    list_display = ["county", "supervision_class", "kind", "interval_days"]
    list_filter = ["supervision_class"]
    search_fields = ["county__name"]
    fields = ["county", "supervision_class", "kind", "interval_days"]

    def get_readonly_fields(self, request, obj=None):
        # Changing which class/kind a row is for would leave entities' due dates stale; add a row instead.
        return ["county", "supervision_class", "kind"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        """Through the service, so every entity's next due date is recomputed."""
        saved = frequency_set(
            county=obj.county, supervision_class=obj.supervision_class, kind=obj.kind, interval_days=obj.interval_days
        )
        obj.pk = saved.pk


@admin.register(SupervisionClassDefinition)
class SupervisionClassDefinitionAdmin(CountyConfigAdmin):
    list_display = ["county", "supervision_class", "meaning"]
    search_fields = ["meaning"]


@admin.register(HazardGrade)
class HazardGradeAdmin(CountyConfigAdmin):
    list_display = ["county", "name", "is_major", "default_days", "order"]
    list_filter = ["is_major"]
    search_fields = ["name"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    can_delete = False
    readonly_fields = ["order", "category", "text", "legal_basis"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(CountyConfigAdmin):
    """Read-only: a new version is made on the portal's settings page (checklist_template_revise), so a
    version an inspection used never changes."""

    list_display = ["name", "county", "kind", "version", "is_current", "created_at"]
    list_filter = ["kind", "is_current"]
    search_fields = ["name"]
    inlines = [ChecklistItemInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["entity", "inspected_at", "mode", "rating", "recorded_by"]
    list_filter = ["mode", "rating", "township"]
    search_fields = ["entity__name"]
    raw_id_fields = ["entity", "template", "recorded_by"]
    date_hierarchy = "inspected_at"


class HazardEventInline(admin.TabularInline):
    model = HazardEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "actor", "at", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Hazard)
class HazardAdmin(admin.ModelAdmin):
    """Read-mostly: the loop is worked through the portal's services, and nothing is deleted."""

    list_display = ["number", "entity", "grade", "status", "found_on", "deadline", "escalation_level"]
    list_filter = ["status", "is_major", "county_supervised", "township"]
    search_fields = ["number", "entity__name", "description"]
    raw_id_fields = ["entity", "inspection", "item", "registered_by"]
    readonly_fields = ["status", "closed_on", "escalation_level", "registered_by"]
    inlines = [HazardEventInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Enforcement)
class EnforcementAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "entity", "issued_on", "amount"]
    list_filter = ["kind", "township"]
    search_fields = ["number", "entity__name"]
    raw_id_fields = ["entity", "hazard", "issued_by"]
