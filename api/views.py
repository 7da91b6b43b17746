"""The API's endpoints (``/api/v1/``). Every queryset starts from ``Model.objects.for_user(user)``,
so another township's object is a 404; lists use the list pages' FilterSets; writes go through the
pages' forms and the apps' services."""

import datetime as dt
import hashlib
from decimal import Decimal

from django.db import models
from django.http import Http404, HttpResponseNotModified
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from analysis import suppression
from committees.filters import ActionItemFilterSet, MeetingFilterSet
from committees.models import ActionItem, Community, Meeting
from incidents import selectors as incident_selectors
from incidents import services as incident_services
from incidents.filters import IncidentFilterSet, InjuryRecordFilterSet
from incidents.forms import IncidentForm, InjuryRecordForm, StatisticsPeriodForm
from incidents.models import Incident, InjuryRecord
from inspections import services as inspection_services
from inspections.filters import EntityFilterSet, HazardFilterSet, InspectionFilterSet
from inspections.forms import HazardForm
from inspections.models import Hazard, Inspection, SupervisedEntity
from projects.filters import InterventionFilterSet, ProjectFilterSet
from projects.models import Intervention, Project
from reports import selectors as report_selectors
from reports.filters import BriefingFilterSet
from reports.models import Briefing, Scorecard
from safecommunity.choices import AreaLevel
from safecommunity.models import Area
from safecommunity.periods import Period
from safecommunity.permissions import (
    EDIT_TOWNSHIP,
    READ_COMMITTEE_WORK,
    READ_LEDGERS,
    READ_SCORECARDS,
    WORK_IN_FIELD,
)

from . import serializers as s
from .filters import AreaFilterSet, InvalidQuery, PageFilterBackend
from .idempotency import idempotent

# --- Shared bases ---------------------------------------------------------------------------------


class ConditionalGetMixin:
    """A strong ETag on every 200 GET; ``If-None-Match`` with it → 304 without a body."""

    cache_control = "private, no-cache"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200 and isinstance(response, Response):
            response.render()
            etag = '"%s"' % hashlib.sha256(response.content).hexdigest()[:40]
            response["ETag"] = etag
            response["Cache-Control"] = self.cache_control
            response["Vary"] = "Accept, Accept-Language, Authorization, Cookie"
            match = request.headers.get("If-None-Match", "")
            if match and (match.strip() == "*" or etag in [m.strip() for m in match.split(",")]):
                not_modified = HttpResponseNotModified()
                for header in ("ETag", "Cache-Control", "Vary"):
                    not_modified[header] = response[header]
                return not_modified
        return response


class ScopedViewSet(ConditionalGetMixin, viewsets.GenericViewSet):
    model: type[models.Model]
    allowed_roles = READ_LEDGERS
    write_roles = frozenset()
    select: tuple = ()
    filter_backends = [PageFilterBackend]

    def get_queryset(self):
        qs = self.model.objects.for_user(self.request.user)
        return qs.select_related(*self.select) if self.select else qs


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    pass


def _created(request, serializer_class, obj, url_name):
    data = serializer_class(obj, context={"request": request}).data
    location = request.build_absolute_uri(reverse(url_name, args=[obj.pk]))
    return Response(data, status=201, headers={"Location": location})


def _with_defaults(model, data):
    """A field the request leaves out takes the model's default, as the page's form starts from it."""
    data = dict(data)
    for field in model._meta.concrete_fields:
        if field.name not in data and field.has_default() and not field.primary_key:
            data[field.name] = field.get_default()
    return data


def _form_errors(form):
    return ValidationError(
        {k if k != "__all__" else "non_field_errors": [str(m) for m in v] for k, v in form.errors.items()}
    )


# --- Areas -----------------------------------------------------------------------------------------


class AreaViewSet(ReadViewSet):
    """The administrative tree of the user's scope (county → townships → villages)."""

    model = Area
    queryset = Area.objects.none()
    serializer_class = s.AreaSerializer
    filterset_class = AreaFilterSet


# --- Incidents and injury records ------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="事故列表 / incidents", description="筛选条件与事故登记页面相同；默认只列出本年度（year=all 为全部）。"
    ),
    create=extend_schema(
        summary="登记事故 / register an incident",
        request=s.IncidentWriteSerializer,
        responses={201: s.IncidentSerializer},
    ),
)
class IncidentViewSet(mixins.CreateModelMixin, ReadViewSet):
    model = Incident
    queryset = Incident.objects.none()
    serializer_class = s.IncidentSerializer
    filterset_class = IncidentFilterSet
    select = ("township", "village")
    write_roles = EDIT_TOWNSHIP

    def create(self, request, *args, **kwargs):
        def perform():
            incoming = s.IncidentWriteSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            form = IncidentForm(data=_with_defaults(Incident, incoming.validated_data), user=request.user)
            if not form.is_valid():
                raise _form_errors(form)
            data = {k: v for k, v in form.cleaned_data.items() if k != "revision_reason"}
            incident = incident_services.incident_register(township=request.user.township, user=request.user, **data)
            return _created(request, s.IncidentSerializer, incident, "api:incident-detail")

        return idempotent(request, perform)


@extend_schema_view(
    list=extend_schema(
        summary="伤害监测记录 / injury records",
        description="姓名与身份证号始终脱敏（与页面相同）；接口不提供查看完整信息。默认只列出本年度。",
    ),
    create=extend_schema(
        summary="录入伤害记录 / add an injury card",
        request=s.InjuryRecordWriteSerializer,
        responses={201: s.InjuryRecordSerializer},
    ),
)
class InjuryRecordViewSet(mixins.CreateModelMixin, ReadViewSet):
    model = InjuryRecord
    queryset = InjuryRecord.objects.none()
    serializer_class = s.InjuryRecordSerializer
    filterset_class = InjuryRecordFilterSet
    select = ("township", "village")
    write_roles = EDIT_TOWNSHIP
    # As the pages of one injury record: no browser or proxy keeps a person's data.
    cache_control = "private, no-store"

    def create(self, request, *args, **kwargs):
        def perform():
            incoming = s.InjuryRecordWriteSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            data = dict(incoming.validated_data)
            confirm = data.pop("confirm_warnings", False)
            form = InjuryRecordForm(
                data={**_with_defaults(InjuryRecord, data), "confirm_warnings": confirm}, user=request.user
            )
            if not form.is_valid():
                raise _form_errors(form)
            record = incident_services.injury_record_create(
                township=request.user.township, user=request.user, **form.cleaned_data
            )
            return _created(request, s.InjuryRecordSerializer, record, "api:injury-detail")

        return idempotent(request, perform)

    @extend_schema(
        summary="批量提交伤害监测报告卡 / bulk injury cards",
        request={"multipart/form-data": s.InjuryBulkSerializer},
        responses={200: s.BulkResultSerializer},
        description="与“导入”相同的校验与去重（safecommunity.records）：卡片编号相同的记录不会重复导入。",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk",
        parser_classes=[MultiPartParser],
        filter_backends=[],
        pagination_class=None,
    )
    def bulk(self, request):
        from safecommunity.records import FileRejected, run_import

        def perform():
            incoming = s.InjuryBulkSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            upload = incoming.validated_data["file"]
            try:
                result = run_import(
                    "injuries", upload, township=request.user.township, user=request.user, filename=upload.name
                )
            except FileRejected as exc:
                raise ValidationError({"file": [str(exc)]}) from None
            # The rejected rows' cells are not repeated (they hold names and ID numbers): where and why.
            rejections = [
                {"sheet": sheet, "row": row_no, "reason": str(reason)}
                for sheet, row_no, _cells, reason in result.rejected
            ]
            return Response(
                {
                    "imported": result.imported,
                    "duplicates": result.duplicates,
                    "rejected": result.rejected_count,
                    "rejections": rejections,
                }
            )

        return idempotent(request, perform)


# --- Inspections and hazards ----------------------------------------------------------------------


class EntityViewSet(ReadViewSet):
    """Supervised entities (一企一档); phones masked unless the role may see personal data."""

    model = SupervisedEntity
    queryset = SupervisedEntity.objects.none()
    serializer_class = s.EntitySerializer
    filterset_class = EntityFilterSet
    select = ("township", "village")

    def get_queryset(self):
        return super().get_queryset().order_by("name", "id")


class InspectionViewSet(ReadViewSet):
    model = Inspection
    queryset = Inspection.objects.none()
    serializer_class = s.InspectionSerializer
    filterset_class = InspectionFilterSet
    select = ("township", "entity")


@extend_schema_view(
    retrieve=extend_schema(
        responses={200: s.HazardDetailSerializer}, summary="隐患及其处理记录 / hazard with its timeline"
    ),
    create=extend_schema(
        summary="登记隐患 / register a hazard",
        request=s.HazardWriteSerializer,
        responses={201: s.HazardDetailSerializer},
    ),
)
class HazardViewSet(mixins.CreateModelMixin, ReadViewSet):
    model = Hazard
    queryset = Hazard.objects.none()
    serializer_class = s.HazardSerializer
    filterset_class = HazardFilterSet
    select = ("township", "entity", "grade")
    write_roles = WORK_IN_FIELD

    def get_serializer_class(self):
        return s.HazardDetailSerializer if self.action in ("retrieve", "create") else s.HazardSerializer

    def create(self, request, *args, **kwargs):
        def perform():
            incoming = s.HazardWriteSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            data = dict(incoming.validated_data)
            entity = (
                SupervisedEntity.objects.for_user(request.user)
                .select_related("township")
                .filter(pk=data.pop("entity"))
                .first()
            )
            if entity is None:
                raise ValidationError({"entity": [_("监管对象不存在或不在您的管辖范围内")]})
            grades = inspection_services.hazard_grades(entity.township.parent)
            form = HazardForm(data=data, user=request.user, entity=entity, grades=grades)
            if not form.is_valid():
                raise _form_errors(form)
            d = form.cleaned_data
            hazard = inspection_services.hazard_register(
                user=request.user,
                entity=entity,
                grade=d["grade"],
                description=d["description"],
                location=d["location"],
                responsible_person=d["responsible_person"],
                found_on=d["found_on"],
                deadline=d["deadline"],
                photos=[],
            )
            return _created(request, s.HazardDetailSerializer, hazard, "api:hazard-detail")

        return idempotent(request, perform)


# --- Committees and projects ----------------------------------------------------------------------


class CommunityViewSet(ReadViewSet):
    """Each township's safe-community effort and its promotion committee."""

    model = Community
    queryset = Community.objects.none()
    serializer_class = s.CommunitySerializer
    allowed_roles = READ_COMMITTEE_WORK
    select = ("township",)


class MeetingViewSet(ReadViewSet):
    model = Meeting
    queryset = Meeting.objects.none()
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilterSet
    allowed_roles = READ_COMMITTEE_WORK
    select = ("township",)


class ActionItemViewSet(ReadViewSet):
    model = ActionItem
    queryset = ActionItem.objects.none()
    serializer_class = s.ActionItemSerializer
    filterset_class = ActionItemFilterSet
    allowed_roles = READ_COMMITTEE_WORK
    select = ("township", "owner_member", "owner_user")


class ProjectViewSet(ReadViewSet):
    model = Project
    queryset = Project.objects.none()
    serializer_class = s.ProjectSerializer
    filterset_class = ProjectFilterSet
    allowed_roles = READ_COMMITTEE_WORK
    select = ("township",)


class InterventionViewSet(ReadViewSet):
    model = Intervention
    queryset = Intervention.objects.none()
    serializer_class = s.InterventionSerializer
    filterset_class = InterventionFilterSet
    allowed_roles = READ_COMMITTEE_WORK
    select = ("project",)


# --- Briefings and scorecards ----------------------------------------------------------------------

PDF_RESPONSE = OpenApiResponse(response=OpenApiTypes.BINARY, description="application/pdf")


class BriefingViewSet(ReadViewSet):
    model = Briefing
    queryset = Briefing.objects.none()
    serializer_class = s.BriefingSerializer
    filterset_class = BriefingFilterSet
    allowed_roles = READ_COMMITTEE_WORK
    select = ("township",)

    @extend_schema(summary="简报PDF / briefing PDF", responses={(200, "application/pdf"): PDF_RESPONSE})
    @action(detail=True, methods=["get"], url_path="pdf", filter_backends=[], pagination_class=None)
    def pdf(self, request, pk=None):
        from reports.documents import briefing_pdf_bytes
        from reports.views.common import pdf_attachment

        briefing = self.get_object()
        if briefing.render_status != "ready" or not briefing.pdf:
            raise Http404(_("PDF 尚未生成"))
        return pdf_attachment(briefing_pdf_bytes(briefing), briefing.download_name())


class ScorecardViewSet(ReadViewSet):
    model = Scorecard
    queryset = Scorecard.objects.none()
    serializer_class = s.ScorecardSerializer
    allowed_roles = READ_SCORECARDS
    select = ("township", "round")

    @extend_schema(summary="考核评分表PDF / scorecard PDF", responses={(200, "application/pdf"): PDF_RESPONSE})
    @action(detail=True, methods=["get"], url_path="pdf", filter_backends=[], pagination_class=None)
    def pdf(self, request, pk=None):
        from reports.documents import scorecard_pdf
        from reports.views.common import pdf_attachment

        card = self.get_object()
        return pdf_attachment(scorecard_pdf(card), f"scorecard-{card.round_id}-{card.township.code}.pdf")


# --- Aggregates (the statistics page and the dashboards, from the same selectors) -----------------


def plain(value):
    """Selector results → JSON: Decimals as numbers, dates as ISO, rows as {id, name}."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Period):
        return {"start": value.start.isoformat(), "end": value.end.isoformat()}
    if isinstance(value, Area):
        return {"id": value.pk, "code": value.code, "name": value.name}
    if isinstance(value, models.Model):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


AREA_PARAM = OpenApiParameter("area", OpenApiTypes.INT, description="乡镇或县的区划 id（默认为用户自己的区划）")
AGGREGATE_RESPONSE = inline_serializer(
    "Aggregate", fields={"area": serializers.DictField(), "period": serializers.DictField()}
)


def _area_in_scope(request, *, levels=(AreaLevel.TOWNSHIP, AreaLevel.COUNTY)):
    raw = request.query_params.get("area", "")
    areas = Area.objects.for_user(request.user).filter(level__in=levels)
    if not raw:
        return areas.get(pk=request.user.area_id)
    if not raw.isdigit() or len(raw) > 18:
        raise InvalidQuery({"area": [_("区划 id 应为数字")]})
    area = areas.filter(pk=int(raw)).first()
    if area is None:
        raise Http404
    return area


class StatisticsView(ConditionalGetMixin, APIView):
    """Counts with 同比/环比, breakdowns by dimension, the monthly trend and the rates of an area,
    exactly as the statistics page (incidents.selectors)."""

    allowed_roles = READ_LEDGERS

    @extend_schema(
        summary="事故与伤害统计 / statistics",
        responses={200: AGGREGATE_RESPONSE},
        parameters=[
            AREA_PARAM,
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("month", OpenApiTypes.INT),
        ],
    )
    def get(self, request):
        area = _area_in_scope(request)
        today = timezone.localdate()
        form = StatisticsPeriodForm(request.query_params, today=today)
        if not form.is_valid():
            raise InvalidQuery({k: [str(m) for m in v] for k, v in form.errors.items()})
        year, month = form.period_values()
        period = Period.month(year, month) if month else Period.year(year)
        townships = incident_selectors.townships_of(area)
        shown = suppression.for_user(request.user)  # small cells hidden for members (issue 20)
        stats = shown.statistics(incident_selectors.incident_statistics_with_change(townships=townships, period=period))
        breakdowns = shown.breakdowns(incident_selectors.injury_breakdowns(townships=townships, period=period))
        return Response(
            plain(
                {
                    "area": area,
                    "period": period,
                    "figures": [
                        {
                            "key": f.key,
                            "label": f.label,
                            "current": f.current,
                            "last_year": f.last_year,
                            "previous": f.previous,
                            "yoy": f.yoy,
                            "yoy_text": f.yoy_text,
                            "mom": f.mom,
                            "mom_text": f.mom_text,
                        }
                        for f in stats["figures"]
                    ],
                    "breakdowns": {
                        dim: [{"key": k, "label": label, "count": n} for k, label, n in rows]
                        for dim, rows in breakdowns.items()
                    },
                    "trend": shown.trend(incident_selectors.monthly_trend(townships=townships, year=year)),
                    "rates": [
                        {
                            "key": r.key,
                            "label": r.label,
                            "numerator": r.numerator,
                            "denominator": r.denominator,
                            "value": r.value,
                            "target": r.target,
                            "unit": r.unit,
                            "within_target": r.within_target,
                        }
                        for r in shown.rates(incident_selectors.rates(area=area, year=year))
                    ],
                }
            )
        )


class DashboardView(ConditionalGetMixin, APIView):
    """The dashboard of a township or of the county (reports.selectors.dashboard), and for a county
    the ranking of its townships."""

    allowed_roles = READ_COMMITTEE_WORK

    @extend_schema(summary="看板数据 / dashboard figures", responses={200: AGGREGATE_RESPONSE}, parameters=[AREA_PARAM])
    def get(self, request):
        area = _area_in_scope(request)
        today = timezone.localdate()
        townships = incident_selectors.townships_of(area)
        data = suppression.for_user(request.user).dashboard(
            report_selectors.dashboard(townships=townships, today=today)
        )
        body = {
            "area": area,
            "period": data["ytd"],
            "today": today,
            "month": {
                f.key: {"current": f.current, "last_year": f.last_year, "yoy": f.yoy}
                for f in data["month_stats"]["figures"]
            },
            "year_to_date": {
                f.key: {"current": f.current, "last_year": f.last_year, "yoy": f.yoy}
                for f in data["ytd_stats"]["figures"]
            },
            "breakdowns": {
                dim: [{"key": k, "label": label, "count": n} for k, label, n in rows]
                for dim, rows in data["breakdowns"].items()
            },
            "trend": data["trend"],
            "hazards": data["hazards"],
            "coverage": data["coverage"],
            "projects": data["projects"],
            "actions": data["actions"],
            "meetings": data["meetings"],
            "activities": data["activities"],
            "silent_villages": data["silent_count"],
            "grids_not_inspected": data["grids_not_inspected_count"],
        }
        if area.level == AreaLevel.COUNTY:
            body["ranking"] = [
                {k: v for k, v in row.items()} for row in report_selectors.township_ranking(county=area, today=today)
            ]
        return Response(plain(body))
