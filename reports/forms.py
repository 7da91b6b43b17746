from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from safecommunity.periods import Period

from .models import AssessmentRound, AssessmentScheme, Briefing


class BriefingGenerateForm(forms.Form):
    month = forms.CharField(label=_("月份"), max_length=7, help_text=_("格式 YYYY-MM，例如 2026-10"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_month(self):
        try:
            period = Period.parse_month(self.cleaned_data["month"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if period.start > date.today():
            raise forms.ValidationError(_("不能生成未来月份的简报"))
        return period


class BriefingForm(forms.ModelForm):
    class Meta:
        model = Briefing
        fields = ["issuer", "issued_on", "editor_note", "next_month_plan"]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "editor_note": forms.Textarea(attrs={"rows": 4}),
            "next_month_plan": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class RoundForm(forms.ModelForm):
    class Meta:
        model = AssessmentRound
        fields = ["scheme", "name", "period_start", "period_end"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = AssessmentScheme.objects.filter(is_active=True)
        self.fields["period_end"].help_text = _("不含当日，例如全年考核填次年1月1日")

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] <= data["period_start"]:
            self.add_error("period_end", _("结束日期应晚于开始日期"))
        return data

    def validate_unique(self):
        """The county is set by the service; the service reports a duplicate round."""


def score_entries(post, scores) -> dict:
    """The posted values of a scorecard's score table: fields ``s<id>-<part>``, ``s<id>-points``,
    ``s<id>-comment``, ``s<id>-evidence``."""
    entries = {}
    for score in scores:
        prefix = f"s{score.pk}-"
        if not any(k.startswith(prefix) for k in post):
            continue
        c = score.criterion
        entries[score.pk] = {
            "grades": {p["key"]: post.get(prefix + p["key"], "") for p in c.parts},
            "points": post.get(prefix + "points", "").strip() or None,
            "comment": post.get(prefix + "comment", "").strip(),
            "evidence_url": post.get(prefix + "evidence", "").strip(),
        }
    return entries
