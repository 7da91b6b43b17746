"""Read filters of the incidents app: scope (inherited), grade and age band."""

from django.db import models
from django.db.models import Case, Q, Value, When

from safecommunity.querysets import ScopedQuerySet

from .choices import AGE_BAND_BOUNDS, Grade
from .grading import THRESHOLDS


def grade_expression():
    """The 493号令 grade as a SQL expression (the same thresholds as ``grading.accident_grade``)."""
    whens = [
        When(Q(deaths__gte=d) | Q(serious_injuries__gte=s) | Q(direct_loss__gte=loss), then=Value(str(grade)))
        for grade, d, s, loss in THRESHOLDS
    ]
    return Case(*whens, default=Value(str(Grade.ORDINARY)), output_field=models.CharField())


def age_band_q(band: str) -> Q:
    low, high = AGE_BAND_BOUNDS[band]
    return Q(age__gte=low) if high is None else Q(age__gte=low, age__lte=high)


class IncidentQuerySet(ScopedQuerySet):
    def with_grade(self):
        return self.annotate(grade_code=grade_expression())


class InjuryRecordQuerySet(ScopedQuerySet):
    def with_open_warnings(self):
        """Cards failing a plausibility check that nobody has confirmed yet."""
        return self.exclude(logic_warnings=[]).filter(warnings_confirmed_at__isnull=True)


class RateBaselineQuerySet(models.QuerySet):
    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active or not user.area_id:
            return self.none()
        if user.is_county_level:
            return self.filter(area__code__startswith=user.area.code)
        if user.is_township_level:
            return self.filter(area_id=user.area_id)
        return self.none()
