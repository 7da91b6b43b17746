import pytest

from .factories import EntityFactory, GridFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def grids(world):
    """grid1 of inspector1 (head: township1) and grid1b (no inspector) in township 1; grid2 of
    inspector2 in township 2."""
    users = world.users
    return {
        "grid1": GridFactory(
            village=world.village1, inspector=users["inspector1"], head=users["township1"], name="东关一网格"
        ),
        "grid1b": GridFactory(village=world.villages1[1], name="西关一网格"),
        "grid2": GridFactory(village=world.village2, inspector=users["inspector2"], name="青山一网格"),
    }


@pytest.fixture
def entities(grids):
    return {
        "e1": EntityFactory(grid=grids["grid1"], name="东关机械厂"),
        "e1b": EntityFactory(grid=grids["grid1b"], name="西关饭店"),
        "e2": EntityFactory(grid=grids["grid2"], name="青山化工厂"),
    }
