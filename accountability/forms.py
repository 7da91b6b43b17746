"""Forms. The county, the recorder and the scope are set by the services, never taken from the POST."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safecommunity.forms import ScopedModelForm
from safecommunity.models import Area

from .models import Issuance, Leader, OfficialInspection, Visit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def grassroots_areas(user):
    """The townships and villages of the user's county (not the county itself)."""
    return Area.objects.for_user(user).exclude(level="county").order_by("code")


class LeaderForm(ScopedModelForm):
    class Meta:
        model = Leader
        fields = ["name", "position", "unit", "rank", "side", "duties", "duty_areas", "is_active"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["duty_areas"].queryset = grassroots_areas(user)


class VisitForm(ScopedModelForm):
    photo = forms.ImageField(label=_("照片"), required=False)

    class Meta:
        model = Visit
        fields = ["leader", "visited_on", "area", "place", "findings", "photo"]
        widgets = {"visited_on": DATE, "findings": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["leader"].queryset = Leader.objects.for_user(user).active()
        self.fields["area"].queryset = grassroots_areas(user)
        self.fields["visited_on"].initial = timezone.localdate()


class OfficialInspectionForm(ScopedModelForm):
    class Meta:
        model = OfficialInspection
        fields = [
            "inspected_on",
            "inspector",
            "team",
            "area",
            "inspected_unit",
            "inspected_official",
            "findings",
            "follow_up",
        ]
        widgets = {
            "inspected_on": DATE,
            "findings": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["inspector"].queryset = Leader.objects.for_user(user).active()
        self.fields["area"].queryset = grassroots_areas(user)
        self.fields["inspected_on"].initial = timezone.localdate()


class IssuanceForm(ScopedModelForm):
    class Meta:
        model = Issuance
        fields = ["kind", "issued_on", "area", "recipients", "issued_count", "signed_count", "note"]
        widgets = {"issued_on": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["area"].queryset = grassroots_areas(user)
        self.fields["issued_on"].initial = timezone.localdate()
