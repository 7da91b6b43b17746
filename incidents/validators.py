"""Checks of the national injury card: ID numbers (GB 11643-1999, in ``safecommunity.identifiers``)
and the card's plausibility checks, which the CDC's reporting software raises as warnings the
reporter confirms, not as errors (the impossible, such as a report before the visit or an age
contradicting the ID number, is an error in ``InjuryRecord.clean``)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from safecommunity.identifiers import (  # noqa: F401  (re-exported: the incidents app's ID checks)
    ID_CHECK_CHARS,
    ID_WEIGHTS,
    convert_legacy_id,
    id_birth_date,
    id_check_digit,
    id_sex,
    normalise_id_number,
    upgrade_id_number,
    validate_id_number,
)

from .choices import (
    TRAFFIC_ACTIVITIES,
    TRAFFIC_CAUSES,
    WHOLE_BODY_CAUSES,
    BodyPart,
    Cause,
    Education,
    Nature,
    Occupation,
    Outcome,
    Place,
    Severity,
)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Full years of age on ``day`` (周岁)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# code → message of each plausibility check, in the order they are shown.
CARD_WARNINGS = {
    "traffic_place": _("车祸的伤害地点一般为“公路/街道”"),
    "traffic_activity": _("车祸的伤害发生时活动一般为“驾乘交通工具”或“步行”"),
    "whole_body_part": _("窒息/悬吊、溺水、中毒的伤害部位一般为“全身广泛受伤”"),
    "burn_nature": _("烧烫伤的伤害性质一般为“烧烫伤”"),
    "burn_cause": _("伤害性质为“烧烫伤”而伤害原因不是“烧烫伤”"),
    "concussion_part": _("脑震荡/脑挫裂伤的伤害部位一般为“头部”或“多部位”"),
    "preschool_age": _("“学龄前儿童”的年龄一般在7岁以下"),
    "student_age": _("“在校学生”的年龄一般在3至30岁"),
    "retired_age": _("“离退休人员”的年龄一般在45岁以上"),
    "child_occupation": _("6岁以下儿童的职业一般为“学龄前儿童”"),
    "soldier_age": _("“军人”的年龄一般在16至60岁"),
    "education_age": _("文化程度与年龄不符（“未上学儿童”一般在7岁以下，小学以上一般在6岁以上）"),
    "death_severity": _("结局为“死亡”而严重程度为“轻”"),
}


def warning_message(code: str) -> str:
    return str(CARD_WARNINGS.get(code, code))


def card_warnings(record) -> list[str]:
    """The codes of the plausibility checks ``record`` (an ``InjuryRecord``) fails."""
    found = []
    cause, age = record.cause, record.age
    if cause in TRAFFIC_CAUSES:
        if record.place and record.place != Place.ROAD:
            found.append("traffic_place")
        if record.activity and record.activity not in TRAFFIC_ACTIVITIES:
            found.append("traffic_activity")
    if cause in WHOLE_BODY_CAUSES and record.body_part and record.body_part != BodyPart.WHOLE_BODY:
        found.append("whole_body_part")
    if cause == Cause.BURN and record.nature and record.nature != Nature.BURN:
        found.append("burn_nature")
    if record.nature == Nature.BURN and cause and cause not in (Cause.BURN, Cause.OTHER, Cause.UNKNOWN):
        found.append("burn_cause")
    if (
        record.nature == Nature.CONCUSSION
        and record.body_part
        and record.body_part not in (BodyPart.HEAD, BodyPart.MULTIPLE, BodyPart.WHOLE_BODY)
    ):
        found.append("concussion_part")
    if age is not None:
        occupation = record.occupation
        if occupation == Occupation.CHILD and age >= 7:
            found.append("preschool_age")
        if occupation == Occupation.STUDENT and not 3 <= age <= 30:
            found.append("student_age")
        if occupation == Occupation.RETIRED and age < 45:
            found.append("retired_age")
        if occupation and occupation != Occupation.CHILD and age < 6:
            found.append("child_occupation")
        if occupation == Occupation.SOLDIER and not 16 <= age <= 60:
            found.append("soldier_age")
        education = record.education
        if (education == Education.PRESCHOOL and age >= 7) or (
            education and education not in (Education.PRESCHOOL, Education.ILLITERATE) and age < 6
        ):
            found.append("education_age")
    if record.outcome == Outcome.DIED and record.severity == Severity.MILD:
        found.append("death_severity")
    return found
