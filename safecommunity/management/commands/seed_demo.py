from django.core.management.base import BaseCommand
from django.db import transaction

from safecommunity.seeding import build_demo_world, run_app_hooks


class Command(BaseCommand):
    help = "创建演示数据（幂等：重复运行不会重复创建）。Creates the demo county; running it twice changes nothing."

    def handle(self, *args, **options):
        with transaction.atomic():
            world = build_demo_world()
        run_app_hooks("demo", "seed_demo", world, self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"demo county {world.county.code}: {len(world.townships)} townships, "
                f"{sum(len(v) for v in world.villages.values())} villages, {len(world.users)} demo users"
            )
        )
