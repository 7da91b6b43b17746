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
from django.core.paginator import Page, Paginator
from django.db.models.fields.files import FieldFile
from django.http import HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .exceptions import ApplicationError
from .mixins import ScopedAccessMixin, require_roles
from .permissions import EDIT_OWN_UNIT, EDIT_TOWNSHIP, READ_COMMITTEE_WORK, RUN_COUNTY_OFFICE


def add_service_errors(form, exc: ValidationError | ApplicationError) -> None:
    """A service refused the cleaned form: an ``ApplicationError`` goes to its ``field`` (or to the
    form when it names none or a field not on it), a model's ``ValidationError`` to its fields."""
    if isinstance(exc, ApplicationError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return
    errors_by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for field, errors in errors_by_field.items():
        form.add_error(field if field in form.fields else None, errors)


def refusal_message(exc: ValidationError | ApplicationError) -> str:
    """A service's refusal as one message line."""
    return exc.message if isinstance(exc, ApplicationError) else "；".join(exc.messages)


def writable_object(user, queryset, pk):
    """The row ``pk`` of ``queryset`` (already ``for_user``) that ``user`` may write, or 403/404.

    The county office finds only its county's own rows: a township's row stays a 403 to it, as
    to any role that may not write it. A township user gets a 404 for what is out of scope and a
    403 for a county row it may read (published to it) but not change."""
    if user.is_county_level:
        obj = queryset.filter(township_id=user.area_id, pk=pk).first()
        if obj is None:
            raise PermissionDenied
    else:
        obj = get_object_or_404(queryset, pk=pk)
    if not may_write(user, obj):
        raise PermissionDenied
    return obj


def scoped_action(model, roles, *, select_related=(), county_rows=False):
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
            queryset = model.objects.for_user(request.user).select_related(*select_related)
            if county_rows:  # the county office's own rows too (see ``writable_object``)
                require_roles(request.user, roles | RUN_COUNTY_OFFICE)
                obj = writable_object(request.user, queryset, pk)
            else:
                require_roles(request.user, roles)
                obj = get_object_or_404(queryset, pk=pk)
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


#: Pages offered by a list: OFFSET reads every row it skips (page 2,000 of the county's injuries
#: read 50,000 rows), so a list stops at this page and asks for a narrower filter or the other
#: sort order instead. A deeper ``?page=`` shows the last page offered.
MAX_LIST_PAGES = 50


class CountedPage(Page):
    """A page whose length follows from its paginator's given row count, as its rows would
    give it: the template's ``{% if table.page %}`` then reads no rows (rows drawn from
    ``rows_cache`` are not read at all)."""

    def __len__(self):
        paginator = self.paginator
        rows = self.object_list
        pinned = getattr(rows, "pinned_data", None)
        if "count" not in paginator.__dict__ or pinned is None or any(pinned.values()):
            return super().__len__()
        bottom = (self.number - 1) * paginator.per_page
        top = bottom + paginator.per_page
        if top + paginator.orphans >= paginator.count:
            top = paginator.count
        return max(0, top - bottom)


class CountedPaginator(Paginator):
    """A list's paginator: given its row count (``count=``) it skips its own COUNT, and it offers
    at most ``max_pages`` pages (``truncated`` says whether rows lie beyond them)."""

    def __init__(
        self, object_list, per_page, *args, count: int | None = None, max_pages: int = MAX_LIST_PAGES, **kwargs
    ):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.max_pages = max_pages
        if count is not None:
            self.__dict__["count"] = count  # ``Paginator.count`` is a cached_property

    @cached_property
    def num_pages(self):
        return min(Paginator.num_pages.func(self), self.max_pages)

    def _get_page(self, *args, **kwargs):
        return CountedPage(*args, **kwargs)

    @property
    def truncated(self) -> bool:
        return Paginator.num_pages.func(self) > self.max_pages

    @property
    def shown_rows(self) -> int:
        return min(self.count, self.max_pages * self.per_page)


#: (county area id, area generation) → the county's township ids (``_prime_county_townships``).
_COUNTY_TOWNSHIPS: dict = {}


def prime_county_townships(user, area_generation) -> None:
    """A county user's townships from this worker's memory, under the area tree's generation
    (``safecommunity.filters.choices_changed``): ``for_user`` then reads no area query."""
    from .querysets import county_township_ids

    if not getattr(user, "is_county_level", False) or hasattr(user, "_county_township_ids"):
        return
    if area_generation is None:
        return
    key = (user.area_id, area_generation)
    ids = _COUNTY_TOWNSHIPS.get(key)
    if ids is None:
        ids = tuple(county_township_ids(user))
        if len(_COUNTY_TOWNSHIPS) >= 256:
            _COUNTY_TOWNSHIPS.clear()  # old generations: start afresh
        _COUNTY_TOWNSHIPS[key] = ids
    user._county_township_ids = list(ids)


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
    #: True: the drawn rows of a page are kept in this worker's memory under the data versions of
    #: ``count_cache_domain`` (``rows_cache_key``). Only for a table whose cells read nothing but
    #: that domain's rows, rows of ``rows_cache_models`` (their generations are in the key), the
    #: user, the language and the date (a county-ownable model's county rows follow the county's
    #: own data version, ``data_township_ids``).
    rows_cache = False
    #: The other models (``safecommunity.filters.CHOICE_MODELS``) whose rows the cells show, e.g.
    #: township and village names. Not the user model unless a column shows users: every login
    #: saves a user, which would make every kept page miss.
    rows_cache_models: tuple[str, ...] = ("safecommunity.Area",)
    #: The data domains whose rows the whole page shows: the page is then drawn once per state of
    #: them, of the choice models and of what the query string, the reader (``page_variant``), the
    #: language and the date ask for, and kept (``safecommunity.pages.kept``). None: the rows'
    #: ``count_cache_domain`` when the view keeps its rows (``rows_cache``), else not kept; ``()``:
    #: rows of choice models only. Only for a page whose every part reads nothing else (its
    #: table's cells, its filter's choices, its buttons by role).
    page_domains: tuple[str, ...] | None = None
    #: The pages a list offers (``CountedPaginator``): deeper rows are reached by filter or sort.
    max_pages = MAX_LIST_PAGES
    title = ""
    create_url_name: str | None = None

    def get_queryset(self):
        self._prime_county_townships()
        return super().get_queryset()

    def _prime_county_townships(self):
        prime_county_townships(self.request.user, self.choice_generations().get("safecommunity.Area"))

    def get_paginate_by(self, data):
        # Only the table paginates: ListView's own pagination would count the rows a second time.
        from django_tables2.data import TableData

        return self.paginate_by if isinstance(data, TableData) else None

    def get_table(self, **kwargs):
        from django_tables2 import RequestConfig

        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        paginate = self.get_table_pagination(table)
        if paginate:
            if paginate.get("paginator_class", Paginator) is Paginator:
                paginate = {**paginate, "paginator_class": CountedPaginator, "max_pages": self.max_pages}
            if self.count_cache_domain and hasattr(table.data, "data"):
                paginate["count"] = self._row_count(table.data.data)
        table = RequestConfig(self.request, paginate=paginate).configure(table)
        if self.rows_cache and self.count_cache_domain:
            table.rows_cache_key = self.rows_cache_key(table)
        return table

    def choice_generations(self) -> dict:
        """The generations of the models offered as filter choices, read once a request (the
        filter form's fields and the rows' key share them)."""
        from .filters import CHOICE_MODELS, choice_generations

        found = getattr(self, "_choice_generations", None)
        if found is None:
            found = self._choice_generations = choice_generations(sorted(CHOICE_MODELS))
        return found

    def rows_cache_key(self, table):
        """What the page's drawn rows depend on (``rows_cache``), or None when it cannot be
        known (the cache unreachable, rows that are not one query)."""
        from django.utils import timezone
        from django.utils.translation import get_language

        from .datacache import township_id_list, versions

        if not hasattr(self, "_counted_sql"):
            return None
        # The rows are the counted rows, in the order and page the query string asks for (the
        # table's class, the view's page size and the GET below): their SQL follows from these.
        sql = self._counted_sql
        generations = self.choice_generations()
        names = tuple(generations.get(label) for label in self.rows_cache_models)
        ids = township_id_list(self.data_township_ids())
        data = versions(self.count_cache_domain, ids)
        if None in names or None in data:
            return None
        return (
            type(self).__module__,
            type(self).__qualname__,
            type(table).__module__,
            type(table).__qualname__,
            self.paginate_by,
            # The user and what of them a table's cells may depend on (masking, links for
            # editors): a role changed by an administrator is drawn anew, though a user's save
            # is not in the key.
            self.request.user.pk,
            self.request.user.role,
            self.request.user.area_id,
            bool(getattr(self.request.user, "can_see_personal_data", False)),
            get_language(),
            timezone.localdate().isoformat(),
            repr(sql),  # the parameters may be lists
            repr(sorted(self.request.GET.lists())),
            tuple(ids),
            tuple(data),
            self.rows_cache_models,
            names,
        )

    def data_township_ids(self) -> list[int]:
        """The areas whose data versions the page's rows follow: the user's townships and, for a
        county-ownable model (``CountyOwnedModel``), the county's own rows that ``for_user``
        gives beside them (a county user's county; a township user's county when it publishes)."""
        from .querysets import county_owned_target, scope_township_ids

        user = self.request.user
        ids = list(scope_township_ids(user))
        target, _prefix = county_owned_target(self.model)
        if target is not None:
            if user.is_county_level and user.area_id:
                ids.append(user.area_id)
            elif user.is_township_level and target.county_published is not None and user.area.parent_id:
                ids.append(user.area.parent_id)
        return ids

    def _row_count(self, queryset) -> int:
        """The row count from the versioned cache (the paginator then skips its COUNT)."""
        from .datacache import cached

        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:
            # An invalid filter gives ``.none()`` (the form shows its errors): no rows to count.
            self._counted_sql = None
            return 0
        self._counted_sql = (sql, params)
        return cached(self.count_cache_domain, self.data_township_ids(), "list-count", (sql, params), queryset.count)

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("_export")
        if self.export_kind and fmt in ("xlsx", "csv"):
            from .records import export_response

            filterset = self.get_filterset(self.get_filterset_class())
            queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_queryset()
            return export_response(self.export_kind, queryset, fmt=fmt, user=request.user)
        domains = self.kept_page_domains()
        if domains is not None:
            from .pages import kept, reading

            name = f"{type(self).__module__}.{type(self).__qualname__}"
            with reading(request, name, domains):
                self._prime_county_townships()
                return kept(
                    request,
                    lambda: super(FilteredListView, self).get(request, *args, **kwargs),
                    name=name,
                    domains=domains,
                    townships=self.data_township_ids(),
                    variant=self.page_variant(),
                    generations=self.choice_generations(),
                )
        return super().get(request, *args, **kwargs)

    def kept_page_domains(self) -> tuple[str, ...] | None:
        if self.page_domains is not None:
            return self.page_domains
        if self.rows_cache and self.count_cache_domain:
            return (self.count_cache_domain,)
        return None

    def page_variant(self) -> tuple:
        """What of the reader a kept page may show: the rows of their scope (a grid inspector's
        are their own), masked or not, the buttons and links of their role."""
        user = self.request.user
        return (user.pk, user.role, user.area_id, bool(getattr(user, "can_see_personal_data", False)))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset = ctx.get("filter")
        if filterset is not None:
            # The filter fields' choices are keyed by these (templatetags/sc_tables.py).
            filterset.form._sc_choice_generations = self.choice_generations()
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


def may_write(user, obj) -> bool:
    """Township staff write their township's rows; the county office (``RUN_COUNTY_OFFICE``)
    writes the county's own rows (``CountyOwnedModel``), never a township's."""
    owner = getattr(obj, "township_id", None)
    if user.is_county_level:
        return user.role in RUN_COUNTY_OFFICE and owner is not None and owner == user.area_id
    return user.role in EDIT_TOWNSHIP and user.is_township_level and (owner is None or owner == user.area_id)


def may_create_county_rows(user) -> bool:
    return user.is_county_level and user.role in RUN_COUNTY_OFFICE


class TownshipListView(FilteredListView):
    allowed_roles = READ_COMMITTEE_WORK
    #: True: the county office also creates rows of its own county here (``CountyOwnedModel``).
    county_rows = False

    def can_create(self):
        user = self.request.user
        if self.county_rows and may_create_county_rows(user):
            return True
        return user.role in EDIT_TOWNSHIP and user.is_township_level


class TownshipDetailView(ObjectDetailView):
    allowed_roles = READ_COMMITTEE_WORK

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = may_write(self.request.user, self.object)
        return ctx


class TownshipCreateView(ObjectCreateView):
    """Township staff create rows of their own township; township is set on the server."""

    allowed_roles = EDIT_TOWNSHIP
    service = None
    #: True: the county office creates rows owned by its county here (the owner set on the server).
    county_rows = False

    def get_allowed_roles(self):
        return EDIT_OWN_UNIT if self.county_rows else self.allowed_roles

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.role in self.get_allowed_roles() and not self.owner():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def owner(self):
        """The area the new row belongs to: the user's township, or the county of the county office."""
        user = self.request.user
        if self.county_rows and may_create_county_rows(user):
            return user.area
        return user.township if user.role in EDIT_TOWNSHIP else None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.model(township=self.owner())
        return kwargs

    def perform_save(self, form):
        return type(self).service(township=self.owner(), **service_data(form))


class TownshipUpdateView(ObjectUpdateView):
    allowed_roles = EDIT_TOWNSHIP
    service = None
    object_kwarg = ""
    #: True: the county office edits its county's own rows here (township rows stay 403 to it).
    county_rows = False

    def get_allowed_roles(self):
        return EDIT_OWN_UNIT if self.county_rows else self.allowed_roles

    def get_object(self, queryset=None):
        return writable_object(self.request.user, self.get_queryset(), self.kwargs["pk"])

    def perform_save(self, form):
        return type(self).service(**{self.object_kwarg: self.object}, **service_data(form))
