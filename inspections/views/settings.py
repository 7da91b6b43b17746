"""County settings (县级配置): checklists, intervals, class meanings, hazard grades of the user's own
county. County-level roles only; everything is read and written for ``request.user.county``."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError
from safecommunity.generic import add_service_errors
from safecommunity.mixins import require_roles
from safecommunity.permissions import RUN_COUNTY_OFFICE

from .. import selectors, services
from ..choices import EntityKind, SupervisionClass
from ..forms import (
    ChecklistReviseForm,
    ClassDefinitionForm,
    EntityKindForm,
    FrequencyForm,
    HazardGradeForm,
    checklist_items_text,
)
from ..kinds import county_kind_choices
from ..models import HazardGrade, SupervisionClassDefinition


def _county(request):
    """The county of a county-level user; None (→ login) for anonymous users."""
    if not request.user.is_authenticated:
        return None
    require_roles(request.user, RUN_COUNTY_OFFICE)
    return request.user.county


def settings_overview(request):
    county = _county(request)
    if county is None:
        return redirect_to_login(request.get_full_path())
    return render(request, "inspections/settings.html", {"county": county, **selectors.county_settings(county=county)})


def checklist_revise(request):
    county = _county(request)
    if county is None:
        return redirect_to_login(request.get_full_path())
    kinds = county_kind_choices(county)
    kind = request.GET.get("kind") if request.GET.get("kind") in dict(kinds) else EntityKind.ENTERPRISE
    current = services.current_template(county, kind)
    initial = {"kind": kind, "name": current.name if current else "", "items": checklist_items_text(current)}
    form = ChecklistReviseForm(request.POST or None, initial=initial)
    form.fields["kind"].choices = kinds
    if request.method == "POST" and form.is_valid():
        try:
            template = services.checklist_template_revise(county=county, user=request.user, **form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存%(name)s第%(v)d版") % {"name": template.name, "v": template.version})
            return redirect("inspections:settings_overview")
    return render(
        request,
        "inspections/settings_form.html",
        {
            "form": form,
            "heading": _("修订检查表"),
            "current": current,
            "note": _("保存后生成新版本；已完成的巡查记录仍使用原版本。"),
        },
    )


def frequency_edit(request):
    county = _county(request)
    if county is None:
        return redirect_to_login(request.get_full_path())
    cls = (
        request.GET.get("supervision_class")
        if request.GET.get("supervision_class") in SupervisionClass.values
        else SupervisionClass.A
    )
    kinds = county_kind_choices(county)
    kind = request.GET.get("kind") if request.GET.get("kind") in dict(kinds) else ""
    freq = services.frequency_map(county)
    initial = {"supervision_class": cls, "kind": kind, "interval_days": services.interval_days(freq, cls, kind)}
    form = FrequencyForm(request.POST or None, initial=initial)
    form.fields["kind"].choices = [("", _("（该分类默认）"))] + kinds
    if request.method == "POST" and form.is_valid():
        try:
            services.frequency_set(county=county, **form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存巡查频次，监管对象的下次应巡查日期已重新计算"))
            return redirect("inspections:settings_overview")
    return render(
        request,
        "inspections/settings_form.html",
        {
            "form": form,
            "heading": _("设置巡查频次"),
            "note": _("场所类别留空即为该监管分类的默认频次；单独设置的场所类别优先。"),
        },
    )


def class_definition_edit(request):
    county = _county(request)
    if county is None:
        return redirect_to_login(request.get_full_path())
    initial = dict(SupervisionClassDefinition.objects.filter(county=county).values_list("supervision_class", "meaning"))
    form = ClassDefinitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for code in SupervisionClass.values:
                    services.supervision_class_define(
                        county=county, supervision_class=code, meaning=form.cleaned_data[code]
                    )
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存监管分类含义"))
            return redirect("inspections:settings_overview")
    return render(request, "inspections/settings_form.html", {"form": form, "heading": _("编辑监管分类含义")})


def hazard_grade_edit(request, pk=None):
    county = _county(request)
    if county is None:
        return redirect_to_login(request.get_full_path())
    grade = get_object_or_404(HazardGrade.objects.filter(county=county), pk=pk) if pk is not None else None
    initial = (
        {"name": grade.name, "is_major": grade.is_major, "default_days": grade.default_days, "order": grade.order}
        if grade
        else {"default_days": 15}
    )
    form = HazardGradeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.hazard_grade_save(county=county, grade=grade, **form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存隐患等级"))
            return redirect("inspections:settings_overview")
    return render(
        request,
        "inspections/settings_form.html",
        {
            "form": form,
            "heading": _("编辑隐患等级") if grade else _("新增隐患等级"),
            "note": _("隐患等级被隐患引用后不能删除，只能修改。"),
        },
    )


def entity_kind_create(request):
    """A kind of place of the county's own (九小场所 extended, e.g. 专业库房)."""
    county = _county(request)
    if county is None:
        return redirect_to_login(request.get_full_path())
    form = EntityKindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entity_kind_add(county=county, **form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已新增场所类别"))
            return redirect("inspections:settings_overview")
    return render(
        request,
        "inspections/settings_form.html",
        {"form": form, "heading": _("新增场所类别"), "note": _("新增后可为该类别编制检查表、设置巡查频次。")},
    )
