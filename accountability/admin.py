from django.contrib import admin

from .models import Issuance, Leader, OfficialInspection, Visit


@admin.register(Leader)
class LeaderAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "rank", "county", "is_active"]
    list_filter = ["rank", "is_active"]
    filter_horizontal = ["duty_areas"]


admin.site.register(Visit)
admin.site.register(OfficialInspection)
admin.site.register(Issuance)
