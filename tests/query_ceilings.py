"""Query-count ceilings at two sizes: a page's count of queries does not grow with the rows nor
with the number of townships of the county (the standard of docs/architecture.md, "A page").

    @pytest.mark.parametrize("url_name", ["incidents:incident_list", ...])
    def test_list_pages_cost_the_same_for_more_townships(client, world, django_assert_max_num_queries, url_name):
        assert_same_queries_for_more_townships(client, world, django_assert_max_num_queries, reverse(url_name))

Each measurement is cold (this test's own cache keys deleted first), so the two are alike."""

from django.core.cache import cache
from django.utils import timezone

from safecommunity.choices import AreaLevel
from safecommunity.services import area_create

#: The two county sizes (townships in the county, the world's two included) and the ceiling of
#: the smaller one's count: a page past it is to be looked at, whatever the larger one costs.
SMALL, LARGE, CEILING = 3, 9, 120


def grow_county(world, total: int) -> None:
    """Townships of the world's county up to ``total``, each with a village and a few rows of
    every app (an incident, an injury card, a supervised entity with a hazard; a member chairing a
    meeting with an action item, a working group, an activity, an agreement, a survey; a project
    with an intervention and evidence): the county's lists and dashboards then hold more rows and
    townships."""
    from tests.committees.factories import (
        ActionItemFactory,
        ActivityFactory,
        AgreementFactory,
        AwarenessSurveyFactory,
        CommitteeMemberFactory,
        MeetingFactory,
        WorkingGroupFactory,
    )
    from tests.incidents.factories import IncidentFactory, InjuryRecordFactory, aware
    from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory
    from tests.projects.factories import EvidenceFactory, InterventionFactory, ProjectFactory

    today = timezone.localdate()
    existing = world.county.children.filter(level=AreaLevel.TOWNSHIP).count()
    for i in range(existing, total):
        township = area_create(
            code=f"371799{110 + i:03d}", name=f"第{i}镇", level=AreaLevel.TOWNSHIP, parent=world.county
        )
        village = area_create(code=f"{township.code}201", name=f"第{i}村", level=AreaLevel.VILLAGE, parent=township)
        IncidentFactory(village=village, occurred_at=aware(today.year, today.month, 1), deaths=i % 2)
        InjuryRecordFactory(village=village, injured_at=aware(today.year, today.month, 1))
        entity = EntityFactory(grid=GridFactory(village=village))
        HazardFactory(entity=entity, found_on=today, registered_by=world.users["township1"])
        member = CommitteeMemberFactory(township=township)
        meeting = MeetingFactory(township=township, held_on=today, chair=member)
        ActionItemFactory(township=township, owner_member=member, meeting=meeting)
        WorkingGroupFactory(township=township, lead=member).members.add(member)
        ActivityFactory(township=township, held_on=today)
        AgreementFactory(township=township, village=village)
        AwarenessSurveyFactory(township=township)
        project = ProjectFactory(township=township)
        InterventionFactory(project=project)
        EvidenceFactory(township=township, project=project)


def cold_queries(client, django_assert_max_num_queries, url, ceiling: int = CEILING) -> int:
    """The queries of one cold GET of ``url`` (at most ``ceiling``)."""
    cache.delete_own_keys()
    with django_assert_max_num_queries(ceiling) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def assert_same_queries_for_more_townships(
    client,
    world,
    django_assert_max_num_queries,
    url,
    *,
    small: int = SMALL,
    large: int = LARGE,
    grow=None,
    username: str = "county",
) -> tuple[int, int]:
    """``url``, opened by ``username`` (the county: it sees every township), costs no more queries
    for a county of ``large`` townships (each with rows, and ``grow(world, n)`` more rows when
    given) than for one of ``small``."""
    client.force_login(world.users[username])
    grow_county(world, small)
    if grow is not None:
        grow(world, 2)
    few = cold_queries(client, django_assert_max_num_queries, url)
    grow_county(world, large)
    if grow is not None:
        grow(world, 25)
    many = cold_queries(client, django_assert_max_num_queries, url, ceiling=few)
    return few, many
