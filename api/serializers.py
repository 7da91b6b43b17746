"""What the API reads and writes. Personal data is masked exactly as on the pages:
injury records' names and ID numbers always (the audited reveal is a page only), entities'
phones unless the role may see personal data (safecommunity.privacy)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from committees.models import ActionItem, Community, Meeting
from incidents.choices import Grade
from incidents.forms import IncidentForm, InjuryRecordForm
from incidents.models import Incident, InjuryRecord
from inspections.models import Hazard, HazardEvent, Inspection, SupervisedEntity
from projects.models import Intervention, Project
from reports.models import Briefing, Scorecard
from safecommunity.models import Area
from safecommunity.privacy import mask_id_number, mask_name, mask_phone


class ReadSerializer(serializers.ModelSerializer):
    """Read-only model fields keep what the column allows (blank choices, nulls), so the schema
    says what the responses hold."""

    def build_standard_field(self, field_name, model_field):
        cls, kwargs = super().build_standard_field(field_name, model_field)
        if model_field.blank and "choices" in kwargs:
            kwargs["allow_blank"] = True
        if model_field.null:
            kwargs["allow_null"] = True
        return cls, kwargs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank = kwargs.get("allow_blank")
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank and "choices" in kwargs:
            kwargs["allow_blank"] = True
        return kwargs

    def build_relational_field(self, field_name, relation_info):
        cls, kwargs = super().build_relational_field(field_name, relation_info)
        if relation_info.model_field is not None and relation_info.model_field.null:
            kwargs["allow_null"] = True
        return cls, kwargs


class AreaSerializer(ReadSerializer):
    class Meta:
        model = Area
        fields = ["id", "code", "name", "level", "parent"]


class _Scoped(ReadSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)


# --- Incidents and injuries -----------------------------------------------------------------------


class IncidentSerializer(_Scoped):
    village_name = serializers.CharField(source="village.name", read_only=True)
    injured = serializers.IntegerField(read_only=True)
    grade = serializers.ChoiceField(choices=Grade.choices, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "township",
            "township_name",
            "village",
            "village_name",
            "grid",
            "entity",
            "occurred_at",
            "address",
            "source_number",
            "latitude",
            "longitude",
            "domain",
            "accident_type",
            "deaths",
            "serious_injuries",
            "minor_injuries",
            "injured",
            "direct_loss",
            "grade",
            "narrative",
            "source",
            "reporter",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _FormFieldsSerializer(serializers.ModelSerializer):
    """The fields of a page's form (its ``Meta.fields``), typed for the schema; the form validates them
    again with the user's scope. Related rows are given by id."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name in getattr(self.Meta, "form_only", ()):
                continue  # a field of the form's own (confirm_warnings), not of the model
            model_field = self.Meta.model._meta.get_field(name)
            if model_field.is_relation:
                self.fields[name] = serializers.IntegerField(
                    required=not model_field.blank, allow_null=model_field.null, min_value=1
                )


class IncidentWriteSerializer(_FormFieldsSerializer):
    """The fields of the page's form (incidents.forms.IncidentForm), which validates them again."""

    class Meta:
        model = Incident
        fields = list(IncidentForm._meta.fields)


class InjuryRecordSerializer(_Scoped):
    name = serializers.SerializerMethodField(help_text=_("已脱敏"))
    id_number = serializers.SerializerMethodField(help_text=_("已脱敏"))
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = InjuryRecord
        fields = [
            "id",
            "township",
            "township_name",
            "incident",
            "source_number",
            "name",
            "id_number",
            "sex",
            "age",
            "residence",
            "occupation",
            "injured_at",
            "visit_at",
            "reported_at",
            "village",
            "village_name",
            "grid",
            "cause",
            "place",
            "activity",
            "intent",
            "alcohol",
            "nature",
            "body_part",
            "severity",
            "outcome",
            "hospital",
            "narrative",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, obj):
        return mask_name(obj.name)

    @extend_schema_field(OpenApiTypes.STR)
    def get_id_number(self, obj):
        return mask_id_number(obj.id_number)


class InjuryRecordWriteSerializer(_FormFieldsSerializer):
    """The fields of the page's form (incidents.forms.InjuryRecordForm), which validates them again."""

    confirm_warnings = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("确认无误：卡片的逻辑校验提示（如车祸发生在家中）已核对；未确认时返回422并列出提示"),
    )

    class Meta:
        model = InjuryRecord
        fields = [*InjuryRecordForm._meta.fields, "confirm_warnings"]
        form_only = ("confirm_warnings",)


class InjuryBulkSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("全国伤害监测报告卡格式的 .xlsx 或 .csv 文件（与导入模板相同）"))


class BulkResultSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = serializers.IntegerField()
    rejections = serializers.ListField(child=serializers.DictField())


# --- Inspections and hazards -----------------------------------------------------------------------


class EntitySerializer(_Scoped):
    phone = serializers.SerializerMethodField()
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = SupervisedEntity
        fields = [
            "id",
            "township",
            "township_name",
            "name",
            "credit_code",
            "kind",
            "industry",
            "address",
            "village",
            "village_name",
            "grid",
            "legal_representative",
            "safety_officer",
            "phone",
            "employees",
            "risk_colour",
            "supervision_class",
            "last_inspected_on",
            "next_due_on",
            "summons_required",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone(self, obj):
        user = self.context["request"].user
        return obj.phone if user.can_see_personal_data else mask_phone(obj.phone)


class InspectionSerializer(_Scoped):
    entity_name = serializers.CharField(source="entity.name", read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "township",
            "township_name",
            "entity",
            "entity_name",
            "inspected_at",
            "mode",
            "joint_agencies",
            "template",
            "notes",
            "latitude",
            "longitude",
            "representative_name",
            "rating",
            "created_at",
        ]
        read_only_fields = fields


class HazardEventSerializer(ReadSerializer):
    actor = serializers.CharField(source="actor.__str__", read_only=True, allow_null=True, default=None)

    class Meta:
        model = HazardEvent
        fields = ["id", "action", "from_status", "to_status", "actor", "at", "reason"]
        read_only_fields = fields


class HazardSerializer(_Scoped):
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    grade_name = serializers.CharField(source="grade.name", read_only=True)

    class Meta:
        model = Hazard
        fields = [
            "id",
            "number",
            "township",
            "township_name",
            "entity",
            "entity_name",
            "inspection",
            "grade",
            "grade_name",
            "is_major",
            "description",
            "location",
            "responsible_person",
            "found_on",
            "deadline",
            "status",
            "closed_on",
            "county_supervised",
            "escalation_level",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class HazardDetailSerializer(HazardSerializer):
    timeline = serializers.SerializerMethodField()

    class Meta(HazardSerializer.Meta):
        fields = [*HazardSerializer.Meta.fields, "timeline"]
        read_only_fields = fields

    @extend_schema_field(HazardEventSerializer(many=True))
    def get_timeline(self, obj):
        from inspections.selectors import hazard_timeline

        return HazardEventSerializer(hazard_timeline(obj), many=True).data


class HazardWriteSerializer(serializers.Serializer):
    """The fields of the page's form (inspections.forms.HazardForm), which validates them again."""

    entity = serializers.IntegerField(min_value=1)
    grade = serializers.IntegerField(min_value=1)
    description = serializers.CharField(max_length=5000)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    responsible_person = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    found_on = serializers.DateField()
    deadline = serializers.DateField()


# --- Committees and projects ---------------------------------------------------------------------


class CommunitySerializer(_Scoped):
    class Meta:
        model = Community
        fields = [
            "id",
            "township",
            "township_name",
            "name",
            "community_type",
            "stage",
            "committee_name",
            "office_location",
            "office_phone",
            "launched_on",
        ]
        read_only_fields = fields


class MeetingSerializer(_Scoped):
    class Meta:
        model = Meeting
        fields = [
            "id",
            "township",
            "township_name",
            "kind",
            "title",
            "held_on",
            "place",
            "chair",
            "recorder",
            "agenda",
            "minutes",
            "decisions",
            "issuer",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ActionItemSerializer(_Scoped):
    owner = serializers.CharField(source="owner_display", read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "township",
            "township_name",
            "meeting",
            "title",
            "owner",
            "owner_member",
            "due_on",
            "status",
            "progress_note",
            "done_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProjectSerializer(_Scoped):
    class Meta:
        model = Project
        fields = [
            "id",
            "township",
            "township_name",
            "name",
            "domain",
            "working_group",
            "responsible_units",
            "target_group",
            "target_place",
            "problem",
            "goal",
            "target_change",
            "budget",
            "spent",
            "start_on",
            "end_on",
            "status",
            "progress",
            "evaluated_on",
            "evaluation",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class InterventionSerializer(ReadSerializer):
    township = serializers.IntegerField(source="project.township_id", read_only=True)

    class Meta:
        model = Intervention
        fields = [
            "id",
            "project",
            "township",
            "description",
            "owner",
            "planned_start",
            "planned_end",
            "status",
            "cost",
            "done_on",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# --- Reports --------------------------------------------------------------------------------------


class BriefingSerializer(_Scoped):
    issue = serializers.CharField(source="issue_label", read_only=True)
    pdf_url = serializers.SerializerMethodField(help_text=_("PDF 已生成时的下载地址"))

    class Meta:
        model = Briefing
        fields = [
            "id",
            "township",
            "township_name",
            "year",
            "month",
            "version",
            "issue",
            "number_in_year",
            "number_total",
            "title",
            "issuer",
            "issued_on",
            "status",
            "render_status",
            "pdf_url",
            "published_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_pdf_url(self, obj):
        if obj.render_status != "ready" or not obj.pdf:
            return None
        return self.context["request"].build_absolute_uri(reverse("api:briefing-pdf", args=[obj.pk]))


class ScorecardSerializer(_Scoped):
    round_name = serializers.CharField(source="round.name", read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "round",
            "round_name",
            "township",
            "township_name",
            "status",
            "total",
            "result",
            "grade_label",
            "rank",
            "deductions",
            "finalised_at",
            "pdf_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, obj):
        return self.context["request"].build_absolute_uri(reverse("api:scorecard-pdf", args=[obj.pk]))
