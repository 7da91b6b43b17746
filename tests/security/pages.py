"""The portal's pages, for the tests that visit all of them: every named URL without argument,
and the detail/edit pages of one object of each kind."""

from pathlib import Path

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from committees.choices import LocalRoleKind
from committees.models import LocalRole, VolunteerTeam
from incidents.models import RateBaseline
from reports.services import briefing_generate
from tests.committees.factories import (
    ActionItemFactory,
    ActivityFactory,
    AgreementFactory,
    AwarenessSurveyFactory,
    CommitteeMemberFactory,
    CommunityFactory,
    MeetingFactory,
    WorkingGroupFactory,
)
from tests.incidents.factories import IncidentFactory, InjuryRecordFactory
from tests.inspections.factories import EntityFactory, GridFactory, HazardFactory, grade
from tests.projects.factories import EvidenceFactory, InterventionFactory, ProjectFactory

# Not HTML pages of the portal, or POST-only, or the admin site (checked on its own).
SKIP_NAMES = {
    "logout",
    "set_language",
    "javascript-catalog",
    "healthz",
    "inspections:notification_read",
    "notifications:notification_read_all",
}


def portal_pages_without_arguments():
    """Every named portal URL that takes no argument (lists, create forms, dashboards, statistics,
    index pages, settings, the audit log, the login page)."""
    names = []

    def walk(resolver, namespace):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                walk(p, f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.converters:
                if "<" not in str(p.pattern) and "(?P" not in str(p.pattern):
                    names.append(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver(), "")
    return sorted(n for n in set(names) if n not in SKIP_NAMES)


ROOT = Path(__file__).resolve().parents[2]


def portal_namespaces():
    """The URL namespaces of the portal's own apps (those whose code lives in this checkout), so a
    new app's pages are visited without being listed here."""
    resolver = get_resolver()
    own = {c.label for c in apps.get_app_configs() if Path(c.path).resolve().is_relative_to(ROOT)}
    return sorted(label for label in own if label in resolver.namespace_dict)


def make_objects(world):
    """One object of each kind of detail/edit page, in township 1."""
    t1, v1 = world.township1, world.village1
    member = CommitteeMemberFactory(township=t1, user=world.users["member1"])
    meeting = MeetingFactory(township=t1, chair=member)
    grid = GridFactory(village=v1, inspector=world.users["inspector1"], head=world.users["township1"])
    entity = EntityFactory(grid=grid)
    project = ProjectFactory(township=t1)
    return [
        CommunityFactory(township=t1),
        member,
        WorkingGroupFactory(township=t1, lead=member),
        meeting,
        ActionItemFactory(township=t1, meeting=meeting, owner_member=member),
        ActivityFactory(township=t1),
        AgreementFactory(township=t1, village=v1),
        AwarenessSurveyFactory(township=t1),
        project,
        InterventionFactory(project=project),
        EvidenceFactory(township=t1),
        IncidentFactory(village=v1),
        InjuryRecordFactory(village=v1),
        grid,
        entity,
        HazardFactory(entity=entity, registered_by=world.users["inspector1"]),
        grade(world.county),
        HazardFactory(
            entity=entity, registered_by=world.users["inspector1"], is_major=True, grade=grade(world.county, major=True)
        ),
        LocalRole.objects.create(township=t1, kind=LocalRoleKind.INFORMANT, name="信息员甲", village=v1),
        VolunteerTeam.objects.create(township=t1, name="东关义务巡逻队", village=v1),
        RateBaseline.objects.create(area=t1, year=2026, population=30000),
        briefing_generate(township=t1, year=2026, month=3)[0],
        *_enforcement_and_leader(world, entity),
    ]


def _enforcement_and_leader(world, entity):
    """A 责令限期整改指令书 in the name of township 1's office (two officers), a county leader and the
    county's group-bot channel."""
    import datetime as dt

    from accountability.services import leader_save
    from inspections.services import authority_create, enforcement_issue, officer_add

    office = authority_create(area=world.township1, name="城关街道安全生产监督管理办公室", series="（城关）安监")
    one = officer_add(authority=office, name="赵军", certificate_number="37179900101")
    two = officer_add(authority=office, name="孙丽", certificate_number="37179900102")
    notice = enforcement_issue(
        user=world.users["township1"],
        entity=entity,
        kind="order_rectify",
        issued_on=dt.date(2026, 3, 1),
        deadline=dt.date(2026, 3, 15),
        content="清理消防通道",
        authority=office,
        officer_1=one,
        officer_2=two,
    )
    leader = leader_save(
        user=world.users["county"], name="张县长", position="副县长", rank="county", duty_areas=[world.township1]
    )
    from notifications.models import WebhookChannel

    channel = WebhookChannel.objects.create(county=world.county, name="县应急局值班群", url="http://127.0.0.1:9/hook")
    return [notice, leader, channel]


def object_pages(objects):
    """Each object's detail page and every GET page of its app that takes just its pk
    (edit, delete confirmation, plan, reveal, …)."""
    urls = set()
    resolver = get_resolver()
    for obj in objects:
        if hasattr(obj, "get_absolute_url"):
            urls.add(obj.get_absolute_url())
        app, model = obj._meta.app_label, obj._meta.model_name
        sub = resolver.namespace_dict.get(app)
        if not sub:
            continue
        for name in [n for n in sub[1].reverse_dict.keys() if isinstance(n, str) and n.startswith(model)]:
            try:
                urls.add(reverse(f"{app}:{name}", args=[obj.pk]))
            except Exception:  # noqa: BLE001 (a route with other arguments)
                continue
    return sorted(urls)
