"""List filters. The period defaults to the current year, so a list of a county's million
records opens on one year's rows and its count stays cheap."""

import datetime as dt

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from safecommunity.filters import ScopedFilterSet, user_townships
from safecommunity.models import Area
from safecommunity.periods import month_label

from .choices import (
    AccidentType,
    Activity,
    AgeBand,
    Cause,
    Domain,
    Grade,
    IncidentSource,
    IncidentStatus,
    Intent,
    Outcome,
    Place,
    Severity,
    Sex,
)
from .models import Incident, InjuryRecord
from .querysets import age_band_q, grade_expression

ALL_YEARS = "all"
MONTHS = [(m, lazy(month_label, str)(m)) for m in range(1, 13)]


def year_choices():
    this_year = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this_year, this_year - 8, -1)] + [(ALL_YEARS, _("全部年份"))]


def default_year() -> str:
    return str(timezone.localdate().year)


# Dates a filter accepts: far enough either side of any record, and a day after the last one
# still exists (the end date is an inclusive bound, filtered as "before the next day").
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def _date_validators():
    message = _("日期应在%(first)s至%(last)s之间") % {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()}
    return [MinValueValidator(FIRST_DATE, message=message), MaxValueValidator(LAST_DATE, message=message)]


def _villages(request):
    user = getattr(request, "user", None)
    if user is None:
        return Area.objects.none()
    villages = Area.objects.for_user(user).villages().order_by("code")
    if getattr(user, "is_county_level", False):
        # A county has hundreds of villages: offer those of the chosen township only.
        township = (request.GET.get("township") or "") if request is not None else ""
        return villages.filter(parent_id=township) if township.isdigit() else villages.none()
    return villages


class _PeriodFilterSet(ScopedFilterSet):
    time_field = ""
    year = django_filters.ChoiceFilter(label=_("年度"), choices=year_choices, method="filter_year", empty_label=None)
    month = django_filters.TypedChoiceFilter(label=_("月份"), choices=MONTHS, coerce=int, method="filter_month")
    start = django_filters.DateFilter(
        label=_("起始日期"),
        method="filter_start",
        validators=_date_validators(),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = django_filters.DateFilter(
        label=_("截止日期"),
        method="filter_end",
        validators=_date_validators(),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    township = django_filters.ModelChoiceFilter(label=_("乡镇/街道"), queryset=user_townships)
    village = django_filters.ModelChoiceFilter(label=_("所属村(社区)"), queryset=_villages)

    def __init__(self, data=None, *args, **kwargs):
        if data is None or "year" not in data:
            data = data.copy() if data is not None else {}
            data["year"] = default_year()
        super().__init__(data, *args, **kwargs)
        user = getattr(self.request, "user", None)
        if not getattr(user, "is_county_level", False):
            self.filters.pop("township", None)

    def _range(self, queryset, start, end):
        tz = timezone.get_current_timezone()
        lookups = {}
        if start is not None:
            lookups[f"{self.time_field}__gte"] = timezone.make_aware(
                timezone.datetime.combine(start, timezone.datetime.min.time()), tz
            )
        if end is not None:
            lookups[f"{self.time_field}__lt"] = timezone.make_aware(
                timezone.datetime.combine(end, timezone.datetime.min.time()), tz
            )
        return queryset.filter(**lookups)

    def filter_year(self, queryset, name, value: str):
        if not value or value == ALL_YEARS:
            return queryset
        year = int(value)
        month = self.form.cleaned_data.get("month")
        if month:
            start = timezone.datetime(year, month, 1).date()
            end = timezone.datetime(year + (month == 12), month % 12 + 1, 1).date()
        else:
            start, end = timezone.datetime(year, 1, 1).date(), timezone.datetime(year + 1, 1, 1).date()
        return self._range(queryset, start, end)

    def filter_month(self, queryset, name, value: int):
        return queryset  # applied together with the year

    def filter_start(self, queryset, name, value):
        return self._range(queryset, value, None)

    def filter_end(self, queryset, name, value):
        return self._range(queryset, None, value + timezone.timedelta(days=1))


class IncidentFilterSet(_PeriodFilterSet):
    time_field = "occurred_at"
    domain = django_filters.ChoiceFilter(label=_("行业领域"), choices=Domain.choices)
    accident_type = django_filters.ChoiceFilter(label=_("事故类型"), choices=AccidentType.choices)
    grade = django_filters.ChoiceFilter(label=_("事故等级"), choices=Grade.choices, method="filter_grade")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=IncidentStatus.choices)
    source = django_filters.ChoiceFilter(label=_("信息来源"), choices=IncidentSource.choices)
    # The dashboard's 死亡/受伤 tiles open the incidents whose people they count.
    casualties = django_filters.ChoiceFilter(
        label=_("伤亡情况"), method="filter_casualties", choices=[("deaths", _("有死亡")), ("injured", _("有受伤"))]
    )

    class Meta:
        model = Incident
        fields = [
            "year",
            "month",
            "start",
            "end",
            "township",
            "village",
            "domain",
            "accident_type",
            "grade",
            "status",
            "source",
            "casualties",
        ]

    def filter_casualties(self, queryset, name, value):
        if value == "deaths":
            return queryset.filter(deaths__gt=0)
        if value == "injured":
            return queryset.filter(Q(serious_injuries__gt=0) | Q(minor_injuries__gt=0))
        return queryset

    def filter_grade(self, queryset, name, value):
        return queryset.alias(grade_filter=grade_expression()).filter(grade_filter=value)


class InjuryRecordFilterSet(_PeriodFilterSet):
    time_field = "injured_at"
    cause = django_filters.ChoiceFilter(label=_("伤害原因"), choices=Cause.choices)
    place = django_filters.ChoiceFilter(label=_("伤害地点"), choices=Place.choices)
    activity = django_filters.ChoiceFilter(label=_("活动"), choices=Activity.choices)
    age_band = django_filters.ChoiceFilter(label=_("年龄段"), choices=AgeBand.choices, method="filter_age_band")
    sex = django_filters.ChoiceFilter(label=_("性别"), choices=Sex.choices)
    severity = django_filters.ChoiceFilter(label=_("严重程度"), choices=Severity.choices)
    outcome = django_filters.ChoiceFilter(label=_("结局"), choices=Outcome.choices)
    intent = django_filters.ChoiceFilter(label=_("伤害意图"), choices=Intent.choices)
    warnings = django_filters.ChoiceFilter(
        label=_("逻辑校验"),
        method="filter_warnings",
        choices=[("open", _("有待确认的提示")), ("confirmed", _("提示已确认")), ("any", _("有提示"))],
    )

    class Meta:
        model = InjuryRecord
        fields = [
            "year",
            "month",
            "start",
            "end",
            "township",
            "village",
            "cause",
            "place",
            "activity",
            "age_band",
            "sex",
            "severity",
            "outcome",
            "intent",
            "warnings",
        ]

    def filter_warnings(self, queryset, name, value):
        if value == "open":
            return queryset.with_open_warnings()
        with_warnings = queryset.exclude(logic_warnings=[])
        if value == "confirmed":
            return with_warnings.filter(warnings_confirmed_at__isnull=False)
        return with_warnings

    def filter_age_band(self, queryset, name, value):
        return queryset.filter(age_band_q(value))
