"""The administrator's tools (users, roles, areas) in Django's admin site, scoped to the
administrator's county like every other page. A Django superuser sees everything."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .models import Area, SecurityEvent, User

admin.site.site_header = _("安全社区建设管理平台 · 管理后台")
admin.site.site_title = _("管理后台")


class CountyAdminMixin:
    """Administrators manage only their own county; other roles have no access."""

    scope_field = "area__code"

    def _is_admin(self, request):
        return request.user.is_active and (
            request.user.is_superuser or (request.user.role == Role.ADMINISTRATOR and request.user.area_id)
        )

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request):
        return self._is_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_delete_permission(self, request, obj=None):
        return False  # areas and users are deactivated, never deleted (history refers to them)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.scope_field}__startswith": request.user.county.code})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Area and not request.user.is_superuser:
            kwargs["queryset"] = Area.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Area)
class AreaAdmin(CountyAdminMixin, admin.ModelAdmin):
    scope_field = "code"
    list_display = ("code", "name", "level", "code_word", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    ordering = ("code",)

    @admin.display(description=_("代码所示类别"))
    def code_word(self, obj):
        return obj.code_word

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warning = obj.code_warning
        if warning:
            messages.warning(request, warning)


@admin.register(User)
class UserAdmin(CountyAdminMixin, DjangoUserAdmin):
    list_display = ("username", "full_name", "role", "area", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "phone")
    list_select_related = ("area",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "phone", "email")}),
        (_("角色与范围"), {"fields": ("role", "area", "is_active")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "role", "area", "password1", "password2")}),
    )
    readonly_fields = ()

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser and obj is not None:
            fieldsets = fieldsets + ((_("系统权限"), {"fields": ("is_staff", "is_superuser")}),)
        return fieldsets


@admin.register(SecurityEvent)
class SecurityEventAdmin(CountyAdminMixin, admin.ModelAdmin):
    scope_field = "user__area__code"
    list_display = ("created_at", "kind", "username", "ip_address")
    list_filter = ("kind",)
    search_fields = ("username", "ip_address")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
