from safecommunity.querysets import ScopedQuerySet

from .choices import InterventionStatus, ProjectStatus

CLOSED_INTERVENTION = (InterventionStatus.DONE, InterventionStatus.CANCELLED)


class ProjectQuerySet(ScopedQuerySet):
    def running(self):
        return self.filter(status__in=[ProjectStatus.PLANNED, ProjectStatus.ACTIVE])

    def not_evaluated(self):
        return self.filter(evaluated_on__isnull=True)

    def due_for_evaluation(self, today):
        """Follow-up period over but no evaluation recorded."""
        return self.not_evaluated().filter(followup_end__lt=today)


class InterventionQuerySet(ScopedQuerySet):
    def open(self):
        return self.exclude(status__in=CLOSED_INTERVENTION)

    def overdue(self, today):
        return self.open().filter(planned_end__lt=today)
