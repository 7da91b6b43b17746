import time

from django.core.management.base import BaseCommand

from safecommunity.scale import build_scale_world
from safecommunity.seeding import run_app_hooks


class Command(BaseCommand):
    help = "创建县级规模的基准测试数据（幂等）。Builds county-scale data for the benchmarks in bench/."

    def handle(self, *args, **options):
        started = time.monotonic()
        world = build_scale_world(self.stdout)
        self.stdout.write(f"areas and grids ready in {time.monotonic() - started:.1f}s")
        run_app_hooks("scale", "seed_scale", world, self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"scale county {world.county.code} ready in {time.monotonic() - started:.1f}s")
        )
