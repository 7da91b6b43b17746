from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from safecommunity.periods import Period

from .choices import BriefingKind
from .models import AssessmentRound, AssessmentScheme, Briefing


class BriefingGenerateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类别"), choices=BriefingKind.choices, initial=BriefingKind.MONTHLY, required=False
    )
    month = forms.CharField(
        label=_("月份"), max_length=7, required=False, help_text=_("格式 YYYY-MM，例如 2026-10（月度简报）")
    )
    subject = forms.CharField(label=_("专刊名称"), max_length=100, required=False, help_text=_("专刊/增刊可填"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_kind(self):
        return self.cleaned_data.get("kind") or BriefingKind.MONTHLY

    def clean(self):
        data = super().clean()
        if data.get("kind", BriefingKind.MONTHLY) == BriefingKind.MONTHLY and not data.get("month") and not self.errors:
            self.add_error("month", _("请填写月份"))
        return data

    def clean_month(self):
        if not self.cleaned_data.get("month"):
            return None
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
        fields = [
            "subject",
            "issuer",
            "issued_on",
            "editor_note",
            "next_month_plan",
            "distribution_report",
            "distribution_send",
            "distribution_issue",
            "print_count",
        ]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "editor_note": forms.Textarea(attrs={"rows": 4}),
            "next_month_plan": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"issuer": _("编印单位")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.is_monthly:
            del self.fields["subject"]
        else:
            del self.fields["next_month_plan"]


class BriefingArticleForm(forms.Form):
    """One article of the editor; ``id`` is empty for a new one, ``DELETE`` removes it."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("标题"), max_length=200)
    author = forms.CharField(label=_("作者/来源"), max_length=100, required=False)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50000)


ArticleFormSet = forms.formset_factory(
    BriefingArticleForm, extra=0, can_delete=True, max_num=50, validate_max=True, absolute_max=50
)


def article_formset(briefing, data=None) -> forms.BaseFormSet:
    initial = [{"id": a.pk, "title": a.title, "author": a.author, "body": a.body} for a in briefing.articles.all()]
    return ArticleFormSet(data, initial=initial, prefix="articles")


def formset_articles(formset, briefing) -> list[dict]:
    """The articles to keep, in the order shown, ids limited to the briefing's own."""
    own = set(briefing.articles.values_list("pk", flat=True))
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.initial:
            continue
        if form.cleaned_data.get("DELETE"):
            continue
        data = {k: form.cleaned_data.get(k, "") for k in ("title", "author", "body")}
        pk = form.cleaned_data.get("id")
        rows.append({"id": pk if pk in own else None, **data})
    return rows


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
