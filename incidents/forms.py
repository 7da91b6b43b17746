"""Create/edit forms, one column on a phone (crispy)."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from safecommunity.forms import ScopedModelForm
from safecommunity.models import Area
from safecommunity.privacy import mask_id_number, mask_name

from .models import Incident, InjuryRecord, RateBaseline
from .validators import upgrade_id_number, warning_message

DATETIME_WIDGET = dict(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _datetime_widget():
    return forms.DateTimeInput(**DATETIME_WIDGET)


class _TownshipFormMixin:
    """The instance knows its township before validation, so the model's own checks (village of
    the township, ID number rules) show up as form errors."""

    def _set_township(self, user):
        if user is not None and user.is_township_level and not self.instance.township_id:
            self.instance.township = user.township
        if "village" in self.fields:
            self.fields["village"].queryset = Area.objects.for_user(user).villages().order_by("code")


class IncidentForm(_TownshipFormMixin, ScopedModelForm):
    revision_reason = forms.CharField(
        label=_("修订说明"), max_length=255, required=False, help_text=_("修改伤亡人数或损失时请说明原因")
    )

    class Meta:
        model = Incident
        fields = [
            "occurred_at",
            "village",
            "grid",
            "entity",
            "address",
            "latitude",
            "longitude",
            "domain",
            "accident_type",
            "deaths",
            "serious_injuries",
            "acute_poisonings",
            "minor_injuries",
            "direct_loss",
            "narrative",
            "source",
            "reporter",
            "reported_at",
        ]
        widgets = {
            "occurred_at": _datetime_widget(),
            "reported_at": _datetime_widget(),
            "narrative": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "reported_at": _("向县级安全监管部门报告的时间；493号令第九条要求1小时内报告"),
            "acute_poisonings": _("493号令第三条：重伤人数包括急性工业中毒"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self._set_township(user)
        if not self.instance.pk:
            del self.fields["revision_reason"]
        self.fields["acute_poisonings"].required = False
        for name in ("deaths", "serious_injuries", "acute_poisonings", "minor_injuries", "direct_loss"):
            self.fields[name].widget.attrs.update(inputmode="decimal" if name == "direct_loss" else "numeric")

    def clean_acute_poisonings(self):
        return self.cleaned_data.get("acute_poisonings") or 0


class InjuryRecordForm(_TownshipFormMixin, ScopedModelForm):
    """The card's fields in the card's order. The card's plausibility checks are warnings: when
    a card fails one, the form lists them beside a "确认无误" checkbox and saves once it is ticked."""

    confirm_warnings = forms.BooleanField(label=_("确认无误"), required=False, widget=forms.HiddenInput)

    class Meta:
        model = InjuryRecord
        fields = [
            "source_number",
            "name",
            "id_number",
            "sex",
            "age",
            "residence",
            "education",
            "occupation",
            "injured_at",
            "visit_at",
            "reported_at",
            "village",
            "grid",
            "cause",
            "place",
            "activity",
            "intent",
            "alcohol",
            "nature",
            "body_part",
            "severity",
            "clinical_diagnosis",
            "outcome",
            "hospital",
            "incident",
            "narrative",
        ]
        widgets = {
            "injured_at": _datetime_widget(),
            "visit_at": _datetime_widget(),
            "reported_at": _datetime_widget(),
            "narrative": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "source_number": _("报告卡上的卡片编号"),
            "id_number": _("18位；15位旧号码将自动转换为18位"),
            "reported_at": _("填报日期；留空为现在，不能早于就诊时间"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.id_converted = False
        self._set_township(user)
        if self.instance.pk and self.instance.has_open_warnings:
            self._show_confirmation(self.instance.logic_warnings)
        self.fields["age"].widget.attrs.update(inputmode="numeric")
        self.fields["id_number"].widget.attrs.update(autocomplete="off")
        self.fields["incident"].queryset = self.fields["incident"].queryset.select_related("village")
        if self.instance.pk:
            self._hide_personal_data()

    # The edit form never carries the stored name and ID number (PIPL): they show masked as a
    # placeholder, an empty field keeps the stored value, and the full values are seen only
    # through the audited reveal on the detail page.
    PERSONAL_FIELDS = {"name": mask_name, "id_number": mask_id_number}

    def _hide_personal_data(self):
        for name, mask in self.PERSONAL_FIELDS.items():
            stored = getattr(self.instance, name)
            self.initial[name] = ""
            if stored:
                self.fields[name].widget.attrs["placeholder"] = mask(stored)
                self.fields[name].help_text = _("已隐藏；留空则保持原值，如需修改请完整输入")

    def _keep_when_empty(self, name):
        value = self.cleaned_data.get(name)
        if self.instance.pk and not value:
            return getattr(self.instance, name)
        return value

    def clean_name(self):
        return self._keep_when_empty("name")

    def clean_id_number(self):
        value = self._keep_when_empty("id_number")
        number, self.id_converted = upgrade_id_number(value)
        return number

    def _show_confirmation(self, codes):
        field = self.fields["confirm_warnings"]
        field.widget = forms.CheckboxInput()
        field.help_text = format_html(
            '{}<ul class="mb-0">{}</ul>',
            _("报告卡逻辑校验提示（请核对，确认无误后勾选）："),
            format_html_join("", "<li>{}</li>", ((warning_message(code),) for code in codes)),
        )

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        found = self.instance.current_warnings()
        # Warnings already confirmed on this record stay confirmed while they are the same.
        confirmed = (
            self.instance.warnings_confirmed_at is not None and list(self.instance.logic_warnings or []) == found
        )
        if found and not confirmed and not self.cleaned_data.get("confirm_warnings"):
            self._show_confirmation(found)
            # The list beside the checkbox at the end of the form, and a pointer to it at the top.
            self.add_error("confirm_warnings", [warning_message(code) for code in found])
            self.add_error(
                None,
                _("本卡有%(n)d条逻辑校验提示，请在表单末尾核对，确认无误后勾选“确认无误”再保存") % {"n": len(found)},
            )


class RateBaselineForm(ScopedModelForm):
    class Meta:
        model = RateBaseline
        fields = [
            "area",
            "year",
            "population",
            "gdp",
            "motor_vehicles",
            "employees",
            "target_gdp_death",
            "target_road_death",
            "target_employee_death",
            "target_injury_incidence",
            "target_injury_mortality",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["area"].queryset = Area.objects.for_user(user).exclude(level="village").order_by("code")
        self.fields["year"].validators += [MinValueValidator(1990), MaxValueValidator(2100)]
        if self.instance.pk:
            # An area's baseline of a year is one row: its edit page changes the figures, never
            # which area and year it is (else saving it would make, or overwrite, another row).
            self.fields["area"].disabled = self.fields["year"].disabled = True


class StatisticsPeriodForm(forms.Form):
    """The year and month of the statistics page. Out-of-range input is an error shown on the
    page (the page then shows the current year), never a server error."""

    FIRST_YEAR = 1990

    year = forms.IntegerField(label=_("年度"), required=False)
    month = forms.IntegerField(
        label=_("月份"),
        required=False,
        min_value=1,
        max_value=12,
        error_messages={"min_value": _("月份应为1至12"), "max_value": _("月份应为1至12")},
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        message = _("年度应在%(first)d至%(last)d之间") % {"first": self.FIRST_YEAR, "last": today.year + 1}
        year = self.fields["year"]
        year.min_value, year.max_value = self.FIRST_YEAR, today.year + 1
        year.validators += [
            MinValueValidator(self.FIRST_YEAR, message=message),
            MaxValueValidator(today.year + 1, message=message),
        ]
        year.error_messages["invalid"] = message
        self.today = today

    def period_values(self) -> tuple[int, int]:
        """(year, month) to show: the valid input, else the current year (month 0 = whole year)."""
        if not self.is_valid():
            return self.today.year, 0
        return self.cleaned_data["year"] or self.today.year, self.cleaned_data["month"] or 0
