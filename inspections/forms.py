"""Forms. Township, creator and status are set by the services, never taken from the POST."""

import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safecommunity.forms import ScopedModelForm
from safecommunity.models import Area
from safecommunity.uploads import check_photo_count, check_photos

from .choices import (
    EnforcementKind,
    EntityKind,
    ItemResult,
    JointAgency,
    Rating,
    RiskColour,
    SupervisionClass,
    ThreeColour,
)
from .kinds import county_kind_choices
from .models import (
    Enforcement,
    EnforcementOfficer,
    Grid,
    Hazard,
    HazardGrade,
    HazardPlace,
    Inspection,
    IssuingAuthority,
    RectificationPlan,
    Reinspection,
    SupervisedEntity,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos from one input (a phone's camera or gallery). The count (10), bytes (10 MB) and
    pixels (24 MP) are checked here from each file's header, before anything is decoded or saved;
    the services re-encode."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        return check_photos(files)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EntityForm(ScopedModelForm):
    class Meta:
        model = SupervisedEntity
        fields = [
            "name",
            "credit_code",
            "kind",
            "industry",
            "address",
            "village",
            "grid",
            "legal_representative",
            "safety_officer",
            "phone",
            "employees",
            "risk_colour",
            "supervision_class",
            "closed_on",
        ]
        widgets = {"closed_on": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None and user.county is not None:
            self.fields["kind"].choices = county_kind_choices(user.county)
        self.fields["village"].queryset = Area.objects.for_user(user).villages() if user else Area.objects.none()
        self.fields["grid"].queryset = (
            Grid.objects.for_user(user).select_related("village") if user else Grid.objects.none()
        )


class RatingForm(forms.Form):
    period = forms.CharField(label=_("评定期间"), max_length=30, help_text=_("例如：2026年第一季度"))
    rated_on = forms.DateField(label=_("评定日期"), widget=DATE)
    colour = forms.ChoiceField(label=_("三色评定"), choices=ThreeColour.choices)
    reason = forms.CharField(label=_("评定理由"), max_length=500, required=False)


class RegradeForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    risk_colour = forms.ChoiceField(label=_("风险等级"), choices=RiskColour.choices)
    supervision_class = forms.ChoiceField(label=_("监管分类"), choices=SupervisionClass.choices)
    reason = forms.CharField(label=_("定级理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class InspectionForm(forms.Form):
    """The phone form: header fields, then one result per checklist item (``result_<id>``) and,
    for a failed item, the hazard to register from it (``hazard_<id>`` and its details)."""

    inspected_at = forms.DateTimeField(
        label=_("检查时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
    )
    mode = forms.ChoiceField(label=_("检查方式"), choices=Inspection._meta.get_field("mode").choices)
    joint_agencies = forms.MultipleChoiceField(
        label=_("联合执法部门"), choices=JointAgency.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultiplePhotoField(label=_("现场照片"))
    latitude = forms.DecimalField(
        label=_("纬度"), required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        label=_("经度"), required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    rating = forms.ChoiceField(label=_("总体评价"), choices=Rating.choices, widget=forms.RadioSelect)
    representative_name = forms.CharField(label=_("被检查单位负责人签字"), max_length=50)

    def __init__(self, *args, user=None, entity=None, template=None, grades=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.entity, self.template = user, entity, template
        self.items = list(template.items.all()) if template else []
        self.grades = list(grades)
        self.fields["inspected_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        default_grade = self.grades[0] if self.grades else None
        for item in self.items:
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=item.text, choices=ItemResult.choices, widget=forms.RadioSelect
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(label=_("说明"), required=False, max_length=500)
            self.fields[f"hazard_{item.pk}"] = forms.BooleanField(label=_("登记为隐患"), required=False)
            self.fields[f"hazard_description_{item.pk}"] = forms.CharField(
                label=_("隐患描述"), required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields[f"hazard_grade_{item.pk}"] = forms.ModelChoiceField(
                label=_("隐患等级"),
                queryset=HazardGrade.objects.filter(pk__in=[g.pk for g in self.grades]),
                required=False,
                initial=default_grade,
            )
            self.fields[f"hazard_deadline_{item.pk}"] = forms.DateField(
                label=_("整改期限"),
                required=False,
                widget=DATE,
                initial=timezone.localdate() + dt.timedelta(days=default_grade.default_days if default_grade else 15),
            )
            self.fields[f"hazard_photos_{item.pk}"] = MultiplePhotoField(label=_("隐患照片"))

    def item_rows(self):
        """(category, [(item, bound fields…)]) for the template."""
        groups = {}
        for item in self.items:
            groups.setdefault(item.category, []).append(
                {
                    "item": item,
                    "result": self[f"result_{item.pk}"],
                    "note": self[f"note_{item.pk}"],
                    "hazard": self[f"hazard_{item.pk}"],
                    "description": self[f"hazard_description_{item.pk}"],
                    "grade": self[f"hazard_grade_{item.pk}"],
                    "deadline": self[f"hazard_deadline_{item.pk}"],
                    "photos": self[f"hazard_photos_{item.pk}"],
                }
            )
        return list(groups.items())

    def clean(self):
        data = super().clean()
        closed, when = getattr(self.entity, "closed_on", None), data.get("inspected_at")
        if closed and when and timezone.localtime(when).date() >= closed:
            self.add_error(
                "inspected_at",
                _("该监管对象已于%(day)s停业/注销，不再接受此后的巡查记录，本条巡查未保存。")
                % {"day": closed.isoformat()},
            )
        try:  # the count cap holds for the whole request, not per input
            check_photo_count(
                [
                    p
                    for name, v in data.items()
                    if name == "photos" or name.startswith("hazard_photos_")
                    for p in (v or [])
                ]
            )
        except ValidationError as exc:
            self.add_error("photos", exc)
        for item in self.items:
            if not data.get(f"hazard_{item.pk}"):
                continue
            if data.get(f"result_{item.pk}") != ItemResult.NONCONFORM:
                self.add_error(f"hazard_{item.pk}", _("只有“不符合”的检查项才能登记隐患"))
            if not data.get(f"hazard_grade_{item.pk}"):
                self.add_error(f"hazard_grade_{item.pk}", _("请选择隐患等级"))
            if not data.get(f"hazard_deadline_{item.pk}"):
                self.add_error(f"hazard_deadline_{item.pk}", _("请填写整改期限"))
        return data

    def outcomes(self):
        from .services import ItemOutcome

        result = []
        for item in self.items:
            d = self.cleaned_data
            hazard = None
            if d.get(f"hazard_{item.pk}"):
                hazard = {
                    "grade": d[f"hazard_grade_{item.pk}"],
                    "description": d.get(f"hazard_description_{item.pk}") or d.get(f"note_{item.pk}") or item.text,
                    "deadline": d[f"hazard_deadline_{item.pk}"],
                }
            result.append(
                ItemOutcome(
                    item,
                    d[f"result_{item.pk}"],
                    note=d.get(f"note_{item.pk}", ""),
                    hazard=hazard,
                    photos=d.get(f"hazard_photos_{item.pk}") or [] if hazard else [],
                )
            )
        return result


class HazardForm(ScopedModelForm):
    photos = MultiplePhotoField(label=_("隐患照片"))

    class Meta:
        model = Hazard
        fields = [
            "grade",
            "major_basis",
            "description",
            "place",
            "location",
            "responsible_person",
            "found_on",
            "deadline",
        ]
        widgets = {
            "found_on": DATE,
            "deadline": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "major_basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, entity=None, grades=(), **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["grade"].queryset = HazardGrade.objects.filter(pk__in=[g.pk for g in grades])
        self.fields["found_on"].initial = timezone.localdate()
        if entity is not None:
            self.fields["place"].queryset = HazardPlace.objects.filter(township_id=entity.township_id)

    def clean(self):
        data = super().clean()
        grade = data.get("grade")
        if grade is not None and grade.is_major and not (data.get("major_basis") or "").strip():
            self.add_error("major_basis", _("重大隐患须写明判定依据"))
        return data


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[])
    reason = forms.CharField(label=_("说明/意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # 开始整改 names who rectifies (a hazard registered from a checklist has nobody yet).
    responsible_person = forms.CharField(label=_("整改责任人"), max_length=50, required=False)
    photos = MultiplePhotoField(label=_("照片"))

    def __init__(self, *args, **kwargs):
        from .choices import TRANSITIONS

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, a) for a in TRANSITIONS]


class PlanForm(ScopedModelForm):
    class Meta:
        model = RectificationPlan
        fields = ["target", "measures", "funds", "responsible_people", "deadline", "interim_measures", "emergency_plan"]
        widgets = {
            "deadline": DATE,
            **{
                f: forms.Textarea(attrs={"rows": 2})
                for f in ("target", "measures", "interim_measures", "emergency_plan")
            },
        }


def officer_choices(user):
    """The officers of the authorities the user may issue in the name of."""
    return EnforcementOfficer.objects.filter(
        authority__in=IssuingAuthority.objects.for_user(user), is_active=True
    ).select_related("authority")


class EnforcementForm(ScopedModelForm):
    class Meta:
        model = Enforcement
        fields = [
            "kind",
            "authority",
            "officer_1",
            "officer_2",
            "hazard",
            "issued_on",
            "content",
            "legal_basis",
            "deadline",
            "amount",
        ]
        widgets = {"issued_on": DATE, "deadline": DATE, "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, entity=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["hazard"].queryset = (
            Hazard.objects.for_user(user).filter(entity=entity) if entity else Hazard.objects.none()
        )
        self.fields["issued_on"].initial = timezone.localdate()
        for name in ("officer_1", "officer_2"):
            self.fields[name].queryset = officer_choices(user)
        authorities = list(self.fields["authority"].queryset)
        if len(authorities) == 1:
            self.fields["authority"].initial = authorities[0].pk

    def clean(self):
        data = super().clean()
        if data.get("kind") in (EnforcementKind.ORDER_RECTIFY, EnforcementKind.SUSPEND):
            for name in ("authority", "officer_1", "officer_2"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("责令整改和停产整改指令书须填写此项"))
        return data


class ReinspectionForm(ScopedModelForm):
    class Meta:
        model = Reinspection
        fields = ["authority", "reinspected_on", "findings", "conclusion", "officer_1", "officer_2"]
        widgets = {"reinspected_on": DATE, "findings": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["reinspected_on"].initial = timezone.localdate()
        for name in ("officer_1", "officer_2"):
            self.fields[name].queryset = officer_choices(user)
        authorities = list(self.fields["authority"].queryset)
        if len(authorities) == 1:
            self.fields["authority"].initial = authorities[0].pk


# --- County settings (checklists, intervals, class meanings, hazard grades) ---------------------------

ITEM_SEPARATORS = ("|", "｜")


class _PlainForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def checklist_items_text(template) -> str:
    """The items of a checklist version as the textarea shows them: ``类别 | 检查内容 | 依据``."""
    if template is None:
        return ""
    lines = []
    for item in template.items.all():
        parts = [item.category, item.text] + ([item.legal_basis] if item.legal_basis else [])
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def parse_checklist_items(text: str) -> list[dict]:
    """One item per line, ``类别 | 检查内容 | 依据`` (依据 optional); blank lines are skipped.
    Every bad line is reported with its line number."""
    from .models import ChecklistItem

    limits = {f: ChecklistItem._meta.get_field(f).max_length for f in ("category", "text", "legal_basis")}
    items, errors = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        for sep in ITEM_SEPARATORS[1:]:
            line = line.replace(sep, ITEM_SEPARATORS[0])
        parts = [p.strip() for p in line.split(ITEM_SEPARATORS[0])]
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            errors.append(_("第%(n)d行格式不正确，应为“类别 | 检查内容 | 依据”（依据可省略）") % {"n": number})
            continue
        item = {"category": parts[0], "text": parts[1], "legal_basis": parts[2] if len(parts) == 3 else ""}
        too_long = [f for f, v in item.items() if len(v) > limits[f]]
        if too_long:
            errors.append(
                _("第%(n)d行内容过长（类别不超过%(c)d字，检查内容和依据不超过%(t)d字）")
                % {"n": number, "c": limits["category"], "t": limits["text"]}
            )
            continue
        items.append(item)
    if errors:
        raise forms.ValidationError(errors)
    if not items:
        raise forms.ValidationError(_("检查表至少需要一个检查项"))
    return items


class ChecklistReviseForm(_PlainForm):
    kind = forms.ChoiceField(label=_("场所类别"), choices=EntityKind.choices)
    name = forms.CharField(label=_("检查表名称"), max_length=200)
    items = forms.CharField(
        label=_("检查项"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("每行一项：类别 | 检查内容 | 依据（依据可省略）"),
    )

    def clean_items(self):
        return parse_checklist_items(self.cleaned_data["items"])


class EntityKindForm(_PlainForm):
    name = forms.CharField(label=_("名称"), max_length=50)
    code = forms.RegexField(
        label=_("代码"),
        max_length=30,
        regex=r"^[a-z][a-z0-9_]*$",
        help_text=_("小写字母、数字和下划线，例如 warehouse"),
    )
    is_small_place = forms.BooleanField(label=_("九小场所"), required=False, initial=True)
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=10000, initial=100)


class FrequencyForm(_PlainForm):
    supervision_class = forms.ChoiceField(label=_("监管分类"), choices=SupervisionClass.choices)
    kind = forms.ChoiceField(
        label=_("场所类别"), required=False, choices=[("", _("（该分类默认）"))] + list(EntityKind.choices)
    )
    interval_days = forms.IntegerField(label=_("巡查间隔(天)"), min_value=1, max_value=366)


class ClassDefinitionForm(_PlainForm):
    """One meaning per class A-D."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in SupervisionClass.choices:
            self.fields[code] = forms.CharField(label=label, max_length=200, required=False)


class HazardGradeForm(_PlainForm):
    name = forms.CharField(label=_("名称"), max_length=50)
    is_major = forms.BooleanField(label=_("重大隐患(需整改方案和挂牌督办)"), required=False)
    default_days = forms.IntegerField(label=_("默认整改期限(天)"), min_value=1, max_value=3650)
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)
