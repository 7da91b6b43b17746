from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees.models import CommitteeMember, Meeting
from projects.choices import ProjectDomain
from projects.models import Project

from .models import AnalysisSettings
from .services import SETTINGS_FIELDS


class SignalActForm(forms.Form):
    """Take a signal up: the next meeting, the owner, the intervention and its target."""

    meeting = forms.ModelChoiceField(label=_("列入会议议程"), queryset=Meeting.objects.none())
    owner_member = forms.ModelChoiceField(label=_("责任人"), queryset=CommitteeMember.objects.none())
    due_on = forms.DateField(label=_("督办期限"), widget=forms.DateInput(attrs={"type": "date"}))
    intervention = forms.CharField(label=_("干预措施"), max_length=300)
    intervention_end = forms.DateField(label=_("措施计划完成"), widget=forms.DateInput(attrs={"type": "date"}))
    target_change = forms.DecimalField(
        label=_("目标变化"),
        max_digits=5,
        decimal_places=3,
        min_value=-1,
        max_value=0,
        initial="-0.200",
        help_text=_("如 -0.200 表示下降20%"),
    )
    project = forms.ModelChoiceField(
        label=_("加入已有项目"),
        queryset=Project.objects.none(),
        required=False,
        help_text=_("不选则新建项目，以预警分组为指标、预警窗口为基线期、次年同期为评估期"),
    )
    project_name = forms.CharField(label=_("新项目名称"), max_length=200, required=False)
    project_domain = forms.ChoiceField(label=_("新项目领域"), choices=ProjectDomain.choices, required=False)

    def __init__(self, *args, signal, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["meeting"].queryset = Meeting.objects.filter(township=signal.township, held_on__gte=today).order_by(
            "held_on", "id"
        )
        self.fields["owner_member"].queryset = CommitteeMember.objects.filter(township=signal.township).order_by("id")
        self.fields["project"].queryset = Project.objects.filter(township=signal.township).order_by("-start_on")

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in ("due_on", "intervention_end"):
            if data.get(name) and data[name] < today:
                self.add_error(name, _("不能早于今天"))
        return data


class SignalDismissForm(forms.Form):
    note = forms.CharField(label=_("排除理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AnalysisSettingsForm(forms.ModelForm):
    class Meta:
        model = AnalysisSettings
        fields = SETTINGS_FIELDS

    def __init__(self, *args, **kwargs):
        from crispy_forms.helper import FormHelper

        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the layout's own <form> holds the 保存 button
