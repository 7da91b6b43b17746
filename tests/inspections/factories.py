import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from inspections.choices import EntityKind, HazardStatus
from inspections.models import Grid, Hazard, HazardGrade, SupervisedEntity
from inspections.services import checklist_template_revise, hazard_grades
from inspections.validators import make_credit_code


def credit_code(n: int) -> str:
    """A valid 18-character unified social credit code (all three GB 32100 checks) built around ``n``."""
    return make_credit_code(area="371799", body=f"{n:08d}"[-8:])


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grid

    village = None
    township = factory.LazyAttribute(lambda o: o.village.parent)
    code = factory.Sequence(lambda n: f"G{n:06d}")
    name = factory.Sequence(lambda n: f"第{n}网格")
    households = 40


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisedEntity

    grid = None
    village = factory.LazyAttribute(lambda o: o.grid.village)
    township = factory.LazyAttribute(lambda o: o.village.parent)
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(credit_code)
    kind = EntityKind.ENTERPRISE
    industry = "机械制造"
    legal_representative = "张三"
    phone = "13800000000"
    next_due_on = factory.LazyFunction(timezone.localdate)


def grade(county, major=False) -> HazardGrade:
    return next(g for g in hazard_grades(county) if g.is_major == major)


class HazardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hazard

    entity = None
    township = factory.LazyAttribute(lambda o: o.entity.township)
    number = factory.Sequence(lambda n: f"T{n:08d}")
    grade = factory.LazyAttribute(lambda o: grade(o.entity.township.parent))
    is_major = factory.LazyAttribute(lambda o: o.grade.is_major)
    description = "消防通道堵塞"
    found_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=5))
    status = HazardStatus.REGISTERED
    registered_by = None


def checklist(county, kind=EntityKind.ENTERPRISE, n=3):
    return checklist_template_revise(
        county=county,
        kind=kind,
        name="企业安全检查表",
        items=[
            {"category": "消防安全", "text": f"检查项{i}：安全出口畅通", "legal_basis": "《消防法》第二十八条"}
            for i in range(1, n + 1)
        ],
    )


def jpeg_upload(name="photo.jpg", size=(64, 48)) -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format="JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def html_as_jpeg() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
