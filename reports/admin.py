from django.contrib import admin

from .models import (
    AssessmentRound,
    AssessmentScheme,
    Briefing,
    BriefingSeries,
    Criterion,
    DownloadJob,
    Score,
    Scorecard,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["code", "name", "order", "points", "mode", "computed_key", "computed_target"]
    extra = 0
    show_change_link = True


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "name", "total_points", "pass_score", "rectify_score", "zero_fails", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["scheme", "code", "name", "points", "mode", "computed_key"]
    list_filter = ["scheme", "mode"]
    search_fields = ["code", "name"]


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "county", "scheme", "period_start", "period_end"]
    list_filter = ["scheme"]
    search_fields = ["name"]


class ScoreInline(admin.TabularInline):
    model = Score
    fields = ["criterion", "grades", "points", "comment", "evidence_url"]
    readonly_fields = ["criterion"]
    extra = 0


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ["round", "township", "status", "total", "result", "rank"]
    list_filter = ["status", "result", "round"]
    search_fields = ["township__name"]
    inlines = [ScoreInline]


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    list_display = ["township", "year", "month", "version", "number_in_year", "number_total", "status", "render_status"]
    list_filter = ["status", "render_status", "year"]
    search_fields = ["township__name", "township__code"]
    readonly_fields = ["snapshot", "pdf_sha256", "render_task_id"]


@admin.register(BriefingSeries)
class BriefingSeriesAdmin(admin.ModelAdmin):
    list_display = ["township", "title", "issuer", "total_offset"]
    search_fields = ["township__name", "issuer"]


@admin.register(DownloadJob)
class DownloadJobAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "status", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "user__username"]
