import time
from fractions import Fraction

from django.core.management.base import BaseCommand, CommandError

from safecommunity.scale import build_scale_world
from safecommunity.seeding import run_app_hooks


def _fraction(value: str) -> float:
    """``1/4``, ``0.25``, ``1/2``, ``1``: the share of the county's record volumes."""
    try:
        share = float(Fraction(value.strip()))
    except (ValueError, ZeroDivisionError):
        raise CommandError(f"--fraction: {value!r} 不是分数（例如 1/4、0.5、1）") from None
    if not 0 < share <= 1:
        raise CommandError(f"--fraction: {value!r} 须大于 0 且不超过 1")
    return share


class Command(BaseCommand):
    help = "创建县级规模的基准测试数据（幂等）。Builds county-scale data for the benchmarks in bench/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fraction",
            default="1",
            help="share of the county's record volumes: 1/4, 1/2 or 1 (default); the tree, grids and "
            "users stay whole (docs/scaling.md measures the growth)",
        )

    def handle(self, *args, **options):
        fraction = _fraction(options["fraction"])
        started = time.monotonic()
        world = build_scale_world(self.stdout)
        world.fraction = fraction
        self.stdout.write(f"areas and grids ready in {time.monotonic() - started:.1f}s (fraction {fraction:g})")
        run_app_hooks("scale", "seed_scale", world, self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"scale county {world.county.code} ready in {time.monotonic() - started:.1f}s")
        )
