from django import forms
from django.utils.translation import gettext_lazy as _

from committees.forms import DATE
from safecommunity.forms import ScopedModelForm
from safecommunity.uploads import validate_document

from .indicators import incident_choice_lists
from .models import AqElement, Evidence, Intervention, Project
from .services import INTERVENTION_FIELDS, PROJECT_FIELDS


class ProjectForm(ScopedModelForm):
    class Meta:
        model = Project
        fields = PROJECT_FIELDS  # what the service may write is what the form shows
        widgets = {
            name: DATE
            for name in ("baseline_start", "baseline_end", "followup_start", "followup_end", "start_on", "end_on")
        }
        widgets.update(problem=forms.Textarea(attrs={"rows": 3}), injury_evidence=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Cause, place and sex use the incidents app's codes, so the indicator matches its statistics.
        lists = incident_choice_lists()
        for key in ("cause", "place", "sex"):
            if key in lists:
                self.fields[f"indicator_{key}"] = forms.ChoiceField(
                    label=self.fields[f"indicator_{key}"].label, required=False, choices=[("", _("不限"))] + lists[key]
                )


class EvaluationForm(forms.Form):
    evaluation = forms.CharField(label=_("评估结论"), widget=forms.Textarea(attrs={"rows": 4}))
    evaluated_on = forms.DateField(label=_("评估日期"), widget=DATE)


class InterventionForm(ScopedModelForm):
    class Meta:
        model = Intervention
        fields = INTERVENTION_FIELDS
        widgets = {"planned_start": DATE, "planned_end": DATE, "done_on": DATE}


class EvidenceForm(ScopedModelForm):
    elements = forms.ModelMultipleChoiceField(
        label=_("支撑要素"), queryset=AqElement.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Evidence
        fields = [
            "title",
            "kind",
            "dated",
            "file",
            "description",
            "elements",
            "project",
            "intervention",
            "meeting",
            "activity",
        ]
        widgets = {"dated": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels that tell the options apart: twelve projects each have a "项目中期进展评估".
        intervention = self.fields["intervention"]
        intervention.queryset = intervention.queryset.select_related("project").order_by("project__name", "id")
        intervention.label_from_instance = lambda i: f"{i.project} · {i.description}"
        for name in ("meeting", "activity"):
            field = self.fields[name]
            field.queryset = field.queryset.order_by("-held_on", "-id")
            field.label_from_instance = lambda obj: f"{obj.held_on:%Y-%m-%d} {obj}"

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f and hasattr(f, "content_type"):
            validate_document(f)
        return f
