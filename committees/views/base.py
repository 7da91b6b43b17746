"""Shared pieces of the committees (and projects) views: who reads, who writes, and the create /
update views that hand the cleaned form to a service."""

from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile

from safecommunity.generic import FilteredListView, ObjectCreateView, ObjectDetailView, ObjectUpdateView
from safecommunity.permissions import EDIT_TOWNSHIP, READ_COMMITTEE_WORK


def service_data(form) -> dict:
    """The form's cleaned data as service kwargs: an untouched file is left out, a cleared one is ""."""
    data = {}
    for name, value in form.cleaned_data.items():
        if value is None and name in form.files:
            continue
        if value is False and name in getattr(form, "file_fields", ()):
            value = ""
        if isinstance(value, FieldFile):
            continue
        data[name] = value
    return data


class ReadListView(FilteredListView):
    allowed_roles = READ_COMMITTEE_WORK
    template_name = "committees/list.html"

    def can_create(self):
        return self.request.user.role in EDIT_TOWNSHIP and self.request.user.is_township_level


class ReadDetailView(ObjectDetailView):
    allowed_roles = READ_COMMITTEE_WORK

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = self.request.user.role in EDIT_TOWNSHIP
        return ctx


class TownshipCreateView(ObjectCreateView):
    """Township staff create rows of their own township; township is set on the server."""

    allowed_roles = EDIT_TOWNSHIP
    service = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles \
                and not request.user.is_township_level:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.model(township=self.request.user.township)
        return kwargs

    def perform_save(self, form):
        return type(self).service(township=self.request.user.township, **service_data(form))


class TownshipUpdateView(ObjectUpdateView):
    allowed_roles = EDIT_TOWNSHIP
    service = None
    object_kwarg = ""

    def perform_save(self, form):
        return type(self).service(**{self.object_kwarg: self.object}, **service_data(form))
