from django.contrib import admin

from .models import AqElement, Evidence, Intervention, Project


@admin.register(AqElement)
class AqElementAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]


class InterventionInline(admin.TabularInline):
    model = Intervention
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "working_group", "status", "progress", "evaluated_on", "township"]
    list_filter = ["domain", "status", "township"]
    search_fields = ["name", "goal"]
    inlines = [InterventionInline]


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["description", "project", "owner", "planned_end", "status", "cost"]
    list_filter = ["status"]
    search_fields = ["description", "project__name"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "dated", "township"]
    list_filter = ["kind", "elements", "township"]
    search_fields = ["title"]
    filter_horizontal = ["elements"]
    raw_id_fields = ["project", "intervention", "meeting", "activity"]
