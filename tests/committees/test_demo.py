import io

from committees.choices import ActionStatus
from committees.models import ActionItem, Meeting, WorkingGroup
from projects.models import Evidence, Intervention, Project
from safecommunity.seeding import World


def test_demo_seed_is_complete_and_idempotent(world):
    demo_world = World(
        county=world.county,
        townships=[world.township1, world.township2],
        villages={world.township1.code: world.villages1, world.township2.code: world.villages2},
        users=dict(world.users),
    )
    from committees.demo import seed_demo as seed_committees
    from projects.demo import seed_demo as seed_projects

    out = io.StringIO()
    seed_committees(demo_world, stdout=out)
    seed_projects(demo_world, stdout=out)
    counts = (Meeting.objects.count(), ActionItem.objects.count(), Project.objects.count(), Evidence.objects.count())
    seed_committees(demo_world, stdout=out)
    seed_projects(demo_world, stdout=out)
    assert (
        Meeting.objects.count(),
        ActionItem.objects.count(),
        Project.objects.count(),
        Evidence.objects.count(),
    ) == counts
    for township in (world.township1, world.township2):
        assert 8 <= WorkingGroup.objects.filter(township=township).count() <= 11
        assert 12 <= Project.objects.filter(township=township).count() <= 24
        assert Intervention.objects.filter(project__township=township).count() >= 60
        assert Meeting.objects.filter(township=township, kind="joint").count() == 12
    mine = ActionItem.objects.owned_by(world.users["member1"])
    assert mine.exclude(status=ActionStatus.DONE).exists()
