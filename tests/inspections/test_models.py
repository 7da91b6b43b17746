import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from inspections.choices import HazardStatus
from inspections.models import Grid, Hazard, Inspection, SupervisedEntity
from inspections.validators import (
    clean_photo,
    credit_code_check_char,
    validate_credit_code,
)

from .factories import HazardFactory, credit_code, html_as_jpeg, jpeg_upload


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91350100m000100y43 "])  # the example of GB 32100-2015
def test_the_standards_example_code_passes_the_check_also_lowercase(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    "code, message",
    [
        ("91350100M000100Y44", "校验位"),  # check character changed
        ("91350100M000100Y4", "18位"),  # too short
        ("91350100I000100Y43", "18位"),  # I is not in the alphabet
    ],
)
def test_bad_credit_codes_are_refused(code, message):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert message in str(exc.value)


def test_blank_credit_code_is_allowed_for_small_places():
    validate_credit_code("")


def test_factory_credit_codes_are_valid():
    for n in (1, 42, 99999):
        code = credit_code(n)
        assert code[-1] == credit_code_check_char(code[:17])
        validate_credit_code(code)


def test_photo_is_reencoded_as_jpeg():
    content = clean_photo(jpeg_upload(size=(3000, 1000)))
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(content.read()))
    assert image.format == "JPEG"
    assert max(image.size) == 2048
    assert content.name.endswith(".jpg")


def test_photo_validation_rejects_a_renamed_html_file():
    with pytest.raises(ValidationError) as exc:
        clean_photo(html_as_jpeg())
    assert "不是有效的图片" in str(exc.value)


def test_photo_validation_rejects_files_over_the_size_limit(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("x.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as exc:
        clean_photo(big)
    assert "10MB" in str(exc.value)


@pytest.mark.parametrize(
    "status, deadline_offset, overdue",
    [
        (HazardStatus.REGISTERED, -1, True),  # the day after the deadline
        (HazardStatus.REGISTERED, 0, False),  # on the deadline itself
        (HazardStatus.RECTIFYING, 1, False),  # before the deadline
        (HazardStatus.PENDING_VERIFICATION, -30, True),
        (HazardStatus.CLOSED, -30, False),  # a closed hazard is never overdue
    ],
)
def test_overdue_at_the_deadline_edges(entities, world, status, deadline_offset, overdue):
    today = dt.date(2026, 6, 15)
    hazard = HazardFactory(
        entity=entities["e1"],
        registered_by=world.users["inspector1"],
        status=status,
        found_on=dt.date(2026, 5, 1),
        deadline=today + dt.timedelta(days=deadline_offset),
        closed_on=dt.date(2026, 6, 1) if status == HazardStatus.CLOSED else None,
    )
    assert hazard.is_overdue(today) is overdue
    assert Hazard.objects.overdue(today).filter(pk=hazard.pk).exists() is overdue


def test_inspector_sees_only_their_own_grids(entities, world):
    inspector = world.users["inspector1"]
    assert list(Grid.objects.for_user(inspector).values_list("name", flat=True)) == ["东关一网格"]
    assert list(SupervisedEntity.objects.for_user(inspector).values_list("name", flat=True)) == ["东关机械厂"]
    staff = world.users["township1"]
    assert set(SupervisedEntity.objects.for_user(staff).values_list("name", flat=True)) == {"东关机械厂", "西关饭店"}
    county = world.users["county"]
    assert SupervisedEntity.objects.for_user(county).count() == 3
    assert SupervisedEntity.objects.for_user(world.users["othercounty"]).count() == 0


def test_inspector_scope_reaches_hazards_and_inspections(entities, world):
    h1 = HazardFactory(entity=entities["e1"], registered_by=world.users["township1"])
    HazardFactory(entity=entities["e1b"], registered_by=world.users["township1"])
    assert list(Hazard.objects.for_user(world.users["inspector1"])) == [h1]
    assert Inspection.objects.for_user(world.users["inspector1"]).count() == 0
