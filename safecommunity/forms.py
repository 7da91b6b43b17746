"""Shared form bases: a form knows its user and offers only choices within the user's scope."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm


class ScopedModelForm(forms.ModelForm):
    """Every choice field whose model has ``for_user`` is narrowed to the user's scope."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "for_user") and user is not None:
                field.queryset = queryset.for_user(user)
        self.helper = FormHelper()
        self.helper.form_tag = False


class LoginForm(AuthenticationForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autocapitalize="none")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")
