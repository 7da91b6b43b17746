from datetime import date

import factory

from projects.choices import ProjectDomain
from projects.models import Evidence, Intervention, Project


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"老年人防跌倒项目{n}")
    domain = ProjectDomain.ELDERLY_FALLS
    start_on = date(2025, 1, 1)
    end_on = date(2026, 12, 31)


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    description = factory.Sequence(lambda n: f"干预措施{n}")
    planned_start = date(2026, 1, 1)
    planned_end = date(2026, 6, 30)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    title = factory.Sequence(lambda n: f"档案资料{n}")
    dated = date(2026, 3, 1)
