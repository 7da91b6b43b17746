"""Pages of the incidents app: lists, details, forms, statistics, rate baselines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView

from analysis import suppression
from safecommunity.choices import AreaLevel
from safecommunity.exceptions import ApplicationError
from safecommunity.generic import FilteredListView, ObjectCreateView, ObjectDetailView, ObjectUpdateView, scoped_action
from safecommunity.mixins import ScopedAccessMixin, require_roles
from safecommunity.models import Area
from safecommunity.periods import Period, month_label
from safecommunity.permissions import EDIT_TOWNSHIP, READ_LEDGERS, RUN_COUNTY_OFFICE
from safecommunity.security import client_ip

from . import selectors, services
from .filters import IncidentFilterSet, InjuryRecordFilterSet
from .forms import IncidentForm, InjuryRecordForm, RateBaselineForm, StatisticsPeriodForm
from .models import Incident, InjuryRecord, RateBaseline
from .tables import IncidentTable, InjuryRecordTable


@login_required
def index(request):
    require_roles(request.user, READ_LEDGERS)
    return redirect("incidents:incident_list")


class _WriterMixin:
    def can_create(self):
        return self.request.user.role in EDIT_TOWNSHIP


# --- Incidents ---------------------------------------------------------------------------------


class IncidentListView(_WriterMixin, FilteredListView):
    model = Incident
    count_cache_domain = "incidents"
    rows_cache = True  # the cells: the incident's fields, its township's and village's names
    table_class = IncidentTable
    filterset_class = IncidentFilterSet
    export_kind = "incidents"
    import_kind = "incidents"
    title = gettext_lazy("事故登记")
    create_url_name = "incidents:incident_create"
    template_name = "incidents/incident_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "village")


class IncidentDetailView(ObjectDetailView):
    model = Incident
    template_name = "incidents/incident_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "village", "grid", "entity", "created_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["revisions"] = self.object.revisions.select_related("revised_by").order_by("-revised_at", "-id")
        ctx["injuries"] = self.object.injuries.select_related("village").order_by("-injured_at")
        ctx["can_edit"] = self.request.user.role in EDIT_TOWNSHIP
        return ctx


class IncidentCreateView(ObjectCreateView):
    model = Incident
    form_class = IncidentForm
    allowed_roles = EDIT_TOWNSHIP
    success_message = gettext_lazy("事故已登记")

    def get_initial(self):
        return {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}

    def perform_save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "revision_reason"}
        return services.incident_register(township=self.request.user.township, user=self.request.user, **data)

    def get_success_url(self):
        return self.object.get_absolute_url()


class IncidentUpdateView(ObjectUpdateView):
    model = Incident
    form_class = IncidentForm
    allowed_roles = EDIT_TOWNSHIP

    def perform_save(self, form):
        data = dict(form.cleaned_data)
        reason = data.pop("revision_reason", "") or ""
        return services.incident_update(incident=self.object, user=self.request.user, reason=reason, **data)

    def get_success_url(self):
        return self.object.get_absolute_url()


@scoped_action(Incident, EDIT_TOWNSHIP)
def incident_verify(request, incident):
    services.incident_verify(incident=incident, user=request.user)
    return gettext_lazy("已核实")


@scoped_action(Incident, EDIT_TOWNSHIP)
def incident_close(request, incident):
    services.incident_close(incident=incident, user=request.user)
    return gettext_lazy("已结案")


# --- Injury records -----------------------------------------------------------------------------
# Every page of one injury record (detail, reveal, create, edit) is no-store: a shared office
# computer's browser cache or a proxy never keeps a person's data.


class InjuryRecordListView(_WriterMixin, FilteredListView):
    count_cache_domain = "incidents"
    rows_cache = True  # the cells: the record's fields (masked), its township's and village's names
    model = InjuryRecord
    table_class = InjuryRecordTable
    filterset_class = InjuryRecordFilterSet
    export_kind = "injuries"
    import_kind = "injuries"
    title = gettext_lazy("伤害监测记录")
    create_url_name = "incidents:injury_create"
    template_name = "incidents/incident_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "village")


@method_decorator(never_cache, name="dispatch")
class InjuryRecordDetailView(ObjectDetailView):
    model = InjuryRecord
    template_name = "incidents/injury_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "village", "grid", "incident", "created_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_edit"] = user.role in EDIT_TOWNSHIP
        ctx["can_reveal"] = user.can_see_personal_data and user.area_id == self.object.township_id
        ctx.setdefault("revealed", False)
        return ctx


@login_required
@require_POST
def injury_reveal(request, pk):
    """Show one record's full name and ID number to township staff, and audit it."""
    require_roles(request.user, EDIT_TOWNSHIP)
    record = get_object_or_404(
        InjuryRecord.objects.for_user(request.user).select_related("township", "village", "grid", "incident"), pk=pk
    )
    try:
        services.personal_data_reveal(record=record, user=request.user, ip_address=client_ip(request))
    except ApplicationError as exc:
        raise PermissionDenied(exc.message) from None
    view = InjuryRecordDetailView()
    view.setup(request, pk=pk)
    view.object = record
    ctx = view.get_context_data(object=record, revealed=True)
    response = render(request, view.template_name, ctx)
    response["Cache-Control"] = "no-store"
    return response


@method_decorator(never_cache, name="dispatch")
class InjuryRecordCreateView(ObjectCreateView):
    model = InjuryRecord
    form_class = InjuryRecordForm
    allowed_roles = EDIT_TOWNSHIP
    success_message = gettext_lazy("伤害记录已保存")

    def perform_save(self, form):
        record = services.injury_record_create(
            township=self.request.user.township, user=self.request.user, **form.cleaned_data
        )
        _note_id_conversion(self.request, form)
        return record

    def get_success_url(self):
        return self.object.get_absolute_url()


@method_decorator(never_cache, name="dispatch")
class InjuryRecordUpdateView(ObjectUpdateView):
    model = InjuryRecord
    form_class = InjuryRecordForm
    allowed_roles = EDIT_TOWNSHIP

    def perform_save(self, form):
        record = services.injury_record_update(record=self.object, user=self.request.user, **form.cleaned_data)
        _note_id_conversion(self.request, form)
        return record


def _note_id_conversion(request, form):
    if form.id_converted:
        messages.info(request, _("15位旧身份证号已按GB 11643-1999转换为18位（插入“19”并计算校验码）"))


@login_required
@require_POST
def injury_confirm_warnings(request, pk):
    """The record's plausibility warnings checked: 确认无误."""
    require_roles(request.user, EDIT_TOWNSHIP)
    record = get_object_or_404(InjuryRecord.objects.for_user(request.user), pk=pk)
    try:
        services.injury_record_confirm_warnings(record=record, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认无误"))
    return HttpResponseRedirect(record.get_absolute_url())


# --- Statistics ---------------------------------------------------------------------------------

BREAKDOWN_TITLES = {
    "cause": gettext_lazy("按伤害原因"),
    "place": gettext_lazy("按伤害地点"),
    "activity": gettext_lazy("按活动"),
    "age_band": gettext_lazy("按年龄段"),
    "sex": gettext_lazy("按性别"),
    "village": gettext_lazy("按村(社区)"),
    "severity": gettext_lazy("按严重程度"),
    "outcome": gettext_lazy("按结局"),
}


def _once(make):
    """``make()`` the first time it is called, the same value after (a template calls it when it
    renders the part that shows it: never, for a part read from the fragment cache)."""
    made = []

    def value():
        if not made:
            made.append(make())
        return made[0]

    return value


_AREA_CHOICES: dict = {}


class StatisticsView(ScopedAccessMixin, TemplateView):
    """Counts, 同比/环比, rates against targets, breakdowns and the monthly trend of an area."""

    template_name = "incidents/statistics.html"

    def get_area_choices(self):
        """The areas the user may choose (their township, or their county and its townships) with
        the townships each stands for, from this worker's memory under the area tree's generation."""
        found = getattr(self, "_areas", None)
        if found is None:
            from safecommunity.filters import choice_generations

            user = self.request.user
            generation = choice_generations(["safecommunity.Area"])["safecommunity.Area"]
            key = (user.role, user.area_id, generation)
            found = _AREA_CHOICES.get(key) if generation is not None else None
            if found is None:
                areas = list(Area.objects.for_user(user).exclude(level=AreaLevel.VILLAGE).order_by("code"))
                found = [
                    (area, tuple(selectors.townships_of(area)) if area.level != AreaLevel.TOWNSHIP else (area.pk,))
                    for area in areas
                ]
                if generation is not None:
                    if len(_AREA_CHOICES) >= 512:
                        _AREA_CHOICES.clear()  # old generations: start afresh
                    _AREA_CHOICES[key] = found
            self._areas = found
        return [area for area, _townships in found]

    def townships_of(self, area) -> list[int]:
        self.get_area_choices()
        return next((list(ids) for a, ids in self._areas if a.pk == area.pk), None) or selectors.townships_of(area)

    def chosen_area(self, areas):
        by_id = {str(a.pk): a for a in areas}
        return by_id.get(self.request.GET.get("area", "")) or areas[0]

    def get(self, request, *args, **kwargs):
        """The page is kept per data version of the area's townships (and its own rate baseline),
        role, area and suppression (``safecommunity.pages.kept``): ``statistics_page`` reads no more."""
        from safecommunity.datacache import RESULT_TIMEOUT
        from safecommunity.pages import kept, reading

        with reading(request, "incidents.statistics", selectors.STATISTICS_PAGE_DOMAINS):
            area = self.chosen_area(self.get_area_choices())
            user = request.user
            return kept(
                request,
                lambda: super(StatisticsView, self).get(request, *args, **kwargs),
                name="incidents.statistics",
                domains=selectors.STATISTICS_PAGE_DOMAINS,
                townships=[*self.townships_of(area), area.pk],
                variant=(user.role, user.area_id, suppression.for_user(user).threshold),
                timeout=RESULT_TIMEOUT,
            )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        areas = self.get_area_choices()
        area = self.chosen_area(areas)
        today = timezone.localdate()
        period_form = StatisticsPeriodForm(self.request.GET, today=today)
        year, month = period_form.period_values()
        # A month or year still running is compared over the days elapsed (同比 of 1–2 December
        # is against 1–2 December of last year); the period shown says so.
        whole = Period.month(year, month) if month else Period.year(year)
        period = whole.elapsed(today)
        data = selectors.statistics_page(area=area, period=period, year=year)
        shown = suppression.for_user(self.request.user)  # small cells hidden for members (issue 20)

        @_once
        def breakdowns():
            return [(key, BREAKDOWN_TITLES[key], rows) for key, rows in shown.breakdowns(data["breakdowns"]).items()]

        @_once
        def chart_data():
            trend = shown.trend(data["trend"])
            return {
                "months": [month_label(m) for m in trend["months"]],
                "year": year,
                "trend": {k: trend[k] for k in ("incidents", "deaths", "injured", "injuries")},
                "breakdowns": {k: [[str(label), n] for _key, label, n in rows] for k, _title, rows in breakdowns()},
            }

        ctx.update(
            period_form=period_form,
            area=area,
            areas=areas,
            year=year,
            month=month,
            period=period,
            period_title=(
                str(whole)
                if period == whole
                else _("%(period)s（截至%(day)s）")
                % {"period": whole, "day": date_format(period.last_day, "MONTH_DAY_FORMAT")}
            ),
            years=range(today.year, today.year - 8, -1),
            months=range(1, 13),
            stats=shown.statistics(data["stats"]),
            rates=_once(lambda: shown.rates(data["rates"])),
            suppression_note=shown.note,
            # The parts rendered from ``data`` alone are cached per computation of it (its token),
            # suppression and language; rates, breakdowns and chart_data are made only to render them.
            fragment_key=f"{data['token']}:{shown.threshold}:{translation.get_language()}",
            breakdowns=breakdowns,
            chart_data=chart_data,
            villages_without_reports=data["villages_without_reports"],
        )
        return ctx


# --- Rate baselines ------------------------------------------------------------------------------


class RateBaselineListView(ScopedAccessMixin, ListView):
    model = RateBaseline
    template_name = "incidents/baseline_list.html"
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().select_related("area", "updated_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = self.request.user.role in RUN_COUNTY_OFFICE
        return ctx


class _BaselineSaveMixin:
    model = RateBaseline
    form_class = RateBaselineForm
    allowed_roles = RUN_COUNTY_OFFICE
    template_name = "layouts/form.html"

    def perform_save(self, form):
        data = dict(form.cleaned_data)
        return services.rate_baseline_save(area=data.pop("area"), year=data.pop("year"), user=self.request.user, **data)

    def get_success_url(self):
        return reverse("incidents:baseline_list")


class RateBaselineCreateView(_BaselineSaveMixin, ObjectCreateView):
    pass


class RateBaselineUpdateView(_BaselineSaveMixin, ObjectUpdateView):
    pass
