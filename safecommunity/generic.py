"""Shared base views. An app's page is a few declared attributes on one of these."""

from django.contrib import messages
from django.core.exceptions import EmptyResultSet, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .exceptions import ApplicationError
from .mixins import ScopedAccessMixin


class FilteredListView(ScopedAccessMixin, SingleTableMixin, FilterView):
    """A list page: queryset (from ``for_user``), filterset, table, pagination, export.

    ``export_kind`` names a kind of the records registry (``safecommunity.records``); the page
    then offers the current filter as .xlsx and .csv with the same columns as the command line.
    """

    template_name = "layouts/list.html"
    paginate_by = 25
    export_kind: str | None = None
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
        if self.count_cache_domain and hasattr(table.data, "data"):
            self._prime_row_count(table.data)
        return RequestConfig(self.request, paginate=self.get_table_pagination(table)).configure(table)

    def _prime_row_count(self, table_data):
        """Give django-tables2 the row count from the versioned cache (it then skips its COUNT)."""
        from .datacache import cached
        from .querysets import scope_township_ids

        queryset = table_data.data
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:
            # An invalid filter gives ``.none()`` (the form shows its errors): no rows to count.
            table_data._length = 0
            return
        table_data._length = cached(
            self.count_cache_domain, scope_township_ids(self.request.user), "list-count", (sql, params),
            queryset.count,
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
        ctx.update(title=self.title or self.model._meta.verbose_name_plural, export_kind=self.export_kind,
                   create_url_name=self.create_url_name, can_create=self.can_create())
        return ctx

    def can_create(self):
        return False


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
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class ObjectCreateView(ScopedAccessMixin, ServiceFormMixin, CreateView):
    template_name = "layouts/form.html"


class ObjectUpdateView(ScopedAccessMixin, ServiceFormMixin, UpdateView):
    template_name = "layouts/form.html"
