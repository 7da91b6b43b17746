"""Fixtures of the reports tests: files go to a temporary MEDIA_ROOT, and the built-in schemes are
present even after a transactional test flushed the data migration's rows."""

import pytest

from reports.builtin_schemes import COUNTY_CODE, NATIONAL_CODE, install_builtin_schemes
from reports.models import AssessmentScheme


@pytest.fixture(autouse=True)
def fresh_cache():
    """The selectors cache their results by data version (safecommunity.datacache); rows made by
    factories do not bump versions, and a test must never read another test's results."""
    from django.core.cache import cache

    cache.delete_own_keys()
    yield
    cache.delete_own_keys()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    monkeypatch.setenv("MEDIA_ROOT", settings.MEDIA_ROOT)  # a worker subprocess started by the test
    return tmp_path / "media"


@pytest.fixture
def schemes(db):
    install_builtin_schemes()
    return {s.code: s for s in AssessmentScheme.objects.filter(code__in=[NATIONAL_CODE, COUNTY_CODE])}


@pytest.fixture
def national(schemes):
    return schemes[NATIONAL_CODE]


@pytest.fixture
def county_scheme(schemes):
    return schemes[COUNTY_CODE]
