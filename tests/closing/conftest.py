"""Files in a temporary MEDIA_ROOT (the worker subprocess too), and the selectors' cache of this
test alone (see tests/reports/conftest.py)."""

import pytest


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.delete_own_keys()
    yield
    cache.delete_own_keys()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    monkeypatch.setenv("MEDIA_ROOT", settings.MEDIA_ROOT)
    return tmp_path / "media"
