"""Shared base views. An app's page is a few declared attributes on one of these.

- ``FilteredListView`` / ``ObjectDetailView`` / ``ObjectCreateView`` / ``ObjectUpdateView``: the
  generic pages, behind ``ScopedAccessMixin`` (login, role, ``for_user``).
- ``TownshipListView`` / ``TownshipDetailView`` / ``TownshipCreateView`` / ``TownshipUpdateView``:
  the township's own rows (committee work, projects): read by ``READ_COMMITTEE_WORK``, written by
  township staff, the township set on the server, the cleaned form handed to ``service``.
- ``scoped_action(model, roles)``: a POST-only action on one row that calls one service.
- ``add_service_errors(form, exc)``: a service's refusal shown on the form.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .exceptions import ApplicationError
from .mixins import ScopedAccessMixin, require_roles
from .permissions import EDIT_TOWNSHIP, READ_COMMITTEE_WORK


def add_service_errors(form, exc: ValidationError | ApplicationError) -> None:
    """A service refused the cleaned form: a ``ValidationError`` goes to its fields (or to the
    form when the field is not on it), an ``ApplicationError`` to the form."""
    if isinstance(exc, ApplicationError):
        form.add_error(None, exc.message)
        return
    errors_by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for field, errors in errors_by_field.items():
        form.add_error(field if field in form.fields else None, errors)


def refusal_message(exc: ValidationError | ApplicationError) -> str:
    """A service's refusal as one message line."""
    return exc.message if isinstance(exc, ApplicationError) else "；".join(exc.messages)


def scoped_action(model, roles, *, select_related=()):
    """A POST-only action on one row: anonymous → login; a role not in ``roles`` → 403; the row
    loaded through ``model.objects.for_user`` (another township's → 404) and handed to the view,
    which calls one service. The view returns the success message (or a response of its own);
    a refusal (``ApplicationError``, ``ValidationError``) becomes an error message. Either way the
    answer is a redirect to the row. ``select_related`` names the relations the view reads.

        @scoped_action(Incident, EDIT_TOWNSHIP)
        def incident_close(request, incident):
            services.incident_close(incident=incident, user=request.user)
            return _("已结案")
    """

    def decorator(func):
        @login_required
        @require_POST
        @wraps(func)
        def view(request, pk, *args, **kwargs):
            require_roles(request.user, roles)
            obj = get_object_or_404(model.objects.for_user(request.user).select_related(*select_related), pk=pk)
            try:
                result = func(request, obj, *args, **kwargs)
            except (ApplicationError, ValidationError) as exc:
                messages.error(request, refusal_message(exc))
            else:
                if isinstance(result, HttpResponseBase):
                    return result
                if result:
                    messages.success(request, result)
            return redirect(obj)

        return view

    return decorator


class CountedPaginator(Paginator):
    """A paginator given its row count (``count=``) instead of counting the rows itself."""

    def __init__(self, object_list, per_page, *args, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # ``Paginator.count`` is a cached_property


class FilteredListView(ScopedAccessMixin, SingleTableMixin, FilterView):
    """A list page: queryset (from ``for_user``), filterset, table, pagination, export.

    ``export_kind`` names a kind of the records registry (``safecommunity.records``); the page
    then offers the current filter as .xlsx and .csv with the same columns as the command line.
    """

    template_name = "layouts/list.html"
    paginate_by = 25
    export_kind: str | None = None
    #: A records kind the township's staff may import from this page (buttons beside the title).
    import_kind: str | None = None
    #: A ``safecommunity.datacache`` domain: the row count of the page is cached per data version
    #: of the user's townships (the COUNT of a county's year is the slow part of a large list).
    count_cache_domain: str | None = None
    title = ""
    create_url_name: str | None = None

    def get_paginate_by(self, data):
        # Only the table paginates: ListView's own pagination would count the rows a second time.
        from django_tables2.data import TableData

        return self.paginate_by if isinstance(data, TableData) else None

    def get_table(self, **kwargs):
        from django_tables2 import RequestConfig

        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        paginate = self.get_table_pagination(table)
        if paginate and self.count_cache_domain and hasattr(table.data, "data"):
            paginate = {**paginate, "paginator_class": CountedPaginator, "count": self._row_count(table.data.data)}
        return RequestConfig(self.request, paginate=paginate).configure(table)

    def _row_count(self, queryset) -> int:
        """The row count from the versioned cache (the paginator then skips its COUNT)."""
        from .datacache import cached
        from .querysets import scope_township_ids

        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:
            # An invalid filter gives ``.none()`` (the form shows its errors): no rows to count.
            return 0
        return cached(
            self.count_cache_domain, scope_township_ids(self.request.user), "list-count", (sql, params), queryset.count
        )

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("_export")
        if self.export_kind and fmt in ("xlsx", "csv"):
            from .records import export_response

            filterset = self.get_filterset(self.get_filterset_class())
            queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_queryset()
            return export_response(self.export_kind, queryset, fmt=fmt, user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            title=self.title or self.model._meta.verbose_name_plural,
            export_kind=self.export_kind,
            create_url_name=self.create_url_name,
            can_create=self.can_create(),
            import_kind=self.import_kind,
            can_import=self.can_import(),
        )
        return ctx

    def can_create(self):
        return False

    def can_import(self):
        if not self.import_kind:
            return False
        from .records import get_kind

        user = self.request.user
        return user.role in get_kind(self.import_kind).import_roles and user.is_township_level


class ObjectDetailView(ScopedAccessMixin, DetailView):
    template_name = "layouts/detail.html"


class ServiceFormMixin:
    """``form_valid`` hands the cleaned data to a service; its refusals become form errors."""

    success_message = _("已保存")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_form(self, form_class=None):
        from crispy_forms.helper import FormHelper

        form = super().get_form(form_class)
        # layouts/form.html draws the one <form>: a form tag of crispy's inside it would close
        # the page's form early and leave the 保存 button outside, doing nothing.
        form.helper = getattr(form, "helper", None) or FormHelper()
        form.helper.form_tag = False
        return form

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["model_verbose_name"] = self.model._meta.verbose_name
        return ctx

    def perform_save(self, form):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.perform_save(form)
        except (ValidationError, ApplicationError) as exc:
            # A refusal may offer the page another answer (an edit of an approved month becomes
            # a correction request: ``closing.lock.MonthLockedError.form_response``).
            response = exc.form_response(self.request, form) if hasattr(exc, "form_response") else None
            if response is not None:
                return response
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class ObjectCreateView(ScopedAccessMixin, ServiceFormMixin, CreateView):
    template_name = "layouts/form.html"


class ObjectUpdateView(ScopedAccessMixin, ServiceFormMixin, UpdateView):
    template_name = "layouts/form.html"


# --- The township's own rows ---------------------------------------------------------------------


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


class TownshipListView(FilteredListView):
    allowed_roles = READ_COMMITTEE_WORK

    def can_create(self):
        return self.request.user.role in EDIT_TOWNSHIP and self.request.user.is_township_level


class TownshipDetailView(ObjectDetailView):
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
        if (
            request.user.is_authenticated
            and request.user.role in self.allowed_roles
            and not request.user.is_township_level
        ):
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
