from django.contrib import admin

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


@admin.register(InspectionFrequency)
class InspectionFrequencyAdmin(admin.ModelAdmin):
    list_display = ["county", "supervision_class", "kind", "interval_days"]
    list_filter = ["county", "supervision_class"]
    search_fields = ["county__name"]


@admin.register(SupervisionClassDefinition)
class SupervisionClassDefinitionAdmin(admin.ModelAdmin):
    list_display = ["county", "supervision_class", "meaning"]
    list_filter = ["county"]
    search_fields = ["meaning"]


@admin.register(HazardGrade)
class HazardGradeAdmin(admin.ModelAdmin):
    list_display = ["county", "name", "is_major", "default_days", "order"]
    list_filter = ["county", "is_major"]
    search_fields = ["name"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "county", "kind", "version", "is_current", "created_at"]
    list_filter = ["county", "kind", "is_current"]
    search_fields = ["name"]
    inlines = [ChecklistItemInline]


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
