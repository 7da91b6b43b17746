"""The record kinds of the project package itself: villages (村/社区) of a township."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safecommunity.choices import AreaLevel
from safecommunity.identifiers import village_code_word
from safecommunity.models import Area

from .cells import RowError, clean_text
from .registry import Column, ExportColumn, RecordKind, register

_DIGITS = re.compile(r"^\d{12}$")


def area_code(value) -> str:
    code = clean_text(value).replace(" ", "").replace("-", "")
    if code and not _DIGITS.match(code):
        raise RowError(_("应为12位数字：%(v)s") % {"v": code})
    return code


@register
class VillageRecordKind(RecordKind):
    name = "villages"
    label = gettext_lazy("村/社区")
    model = Area
    columns = [
        Column("区划代码", "code", area_code, required=True, help_text=gettext_lazy("12位数字，以本乡镇代码开头")),
        Column("名称", "name", lambda v: clean_text(v, max_length=100), required=True),
    ]
    export_extra = [
        ExportColumn("乡镇/街道", "parent.name"),
        ExportColumn("乡镇/街道代码", "parent.code"),
    ]
    scope = {"township": "parent", "county": "parent__parent"}

    def base_queryset(self):
        return Area.objects.villages()

    def export_queryset(self, queryset):
        return queryset.select_related("parent").order_by("code")

    def parse_row(self, values, *, context):
        data = super().parse_row(values, context=context)
        prefix = context["township_code"]
        if not data["code"].startswith(prefix):
            raise RowError(_("区划代码：应以本乡镇代码%(code)s开头") % {"code": prefix})
        if village_code_word(data["code"]) is None:
            raise RowError(_("区划代码：后3位应在001–599之间（统计用区划代码：001–199 居委会，200–399 村委会）"))
        return data

    def import_context(self, township):
        return {"township_code": township.code}

    def natural_key(self, data):
        return (data["code"],)

    def existing_keys(self, keys, *, township):
        codes = Area.objects.filter(code__in=[k[0] for k in keys]).values_list("code", flat=True)
        return {(code,) for code in codes}

    def save_row(self, data, *, township, user):
        from safecommunity.services import area_create

        area_create(code=data["code"], name=data["name"], level=AreaLevel.VILLAGE, parent=township)

    def sample_rows(self, n, township):
        n = min(n, 199)  # 200–399: 村委会 (统计用区划代码)
        return [[f"{township.code}{200 + i:03d}", f"样例村{i:03d}"] for i in range(1, n + 1)]
