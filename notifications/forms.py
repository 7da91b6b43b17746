from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import EmailMode, Kind
from .models import WebhookChannel


class PreferencesForm(forms.Form):
    """One row per kind: in the app, mail (off / each / daily digest), bot or SMS."""

    def __init__(self, *args, preferences: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind, label in Kind.choices:
            pref = preferences[kind]
            self.fields[f"{kind}__in_app"] = forms.BooleanField(
                label=_("站内消息"), required=False, initial=pref.in_app
            )
            self.fields[f"{kind}__email"] = forms.ChoiceField(
                label=_("邮件"), choices=EmailMode.choices, initial=pref.email
            )
            self.fields[f"{kind}__bot"] = forms.BooleanField(label=_("群机器人/短信"), required=False, initial=pref.bot)
            self.rows.append((label, self[f"{kind}__in_app"], self[f"{kind}__email"], self[f"{kind}__bot"]))

    def choices(self) -> dict:
        data = self.cleaned_data
        return {
            kind: {"in_app": data[f"{kind}__in_app"], "email": data[f"{kind}__email"], "bot": data[f"{kind}__bot"]}
            for kind in Kind.values
        }


class WebhookChannelForm(forms.ModelForm):
    url = forms.URLField(label=_("Webhook地址"), max_length=500, assume_scheme="https")

    class Meta:
        model = WebhookChannel
        fields = ["name", "adapter", "url", "enabled"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
