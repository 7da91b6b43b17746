"""Enforcement documents: the notice (责令限期整改指令书 and the other measures) issued in the name
of an authority and numbered in its series, and the 整改复查意见书 that follows a notice."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError
from safecommunity.permissions import ISSUE_ENFORCEMENT

from ..choices import REINSPECTED_KINDS, EnforcementKind, ReinspectionConclusion
from ..models import AuthorityCounter, Enforcement, IssuingAuthority, Reinspection
from .common import check_scope, next_number

# The word of the number for each kind of document: （牡）安监 + 责改 + 〔2026〕12号.
NOTICE_PREFIX = {
    EnforcementKind.ORDER_RECTIFY: "责改",
    EnforcementKind.SUSPEND: "停改",
    EnforcementKind.PENALTY: "罚",
    EnforcementKind.PROPOSE_CLOSURE: "提关",
}
REINSPECTION_PREFIX = "复查"
# Kinds that need two officers and the authority (the forms of 安监总局 令第15号 / 第59号).
OFFICIAL_KINDS = (EnforcementKind.ORDER_RECTIFY, EnforcementKind.SUSPEND)


def authority_next_number(*, authority: IssuingAuthority, kind: str, year: int) -> int:
    """The next number of the authority's series for ``kind`` and ``year``: the counter row is
    created if missing (ON CONFLICT DO NOTHING, so two first callers do not collide) and then
    locked, so concurrent issuers wait for each other: no gap, no duplicate. Call inside the
    transaction that saves the document, so a refused document gives its number back."""
    AuthorityCounter.objects.bulk_create(
        [AuthorityCounter(authority=authority, kind=kind, year=year)], ignore_conflicts=True
    )
    counter = AuthorityCounter.objects.select_for_update().get(authority=authority, kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def authority_number(authority: IssuingAuthority, word: str, year: int, seq: int) -> str:
    return f"{authority.series}{word}〔{year}〕{seq}号"


def _check_authority(user, authority, officer_1, officer_2) -> None:
    if not IssuingAuthority.objects.for_user(user).filter(pk=authority.pk).exists():
        raise ApplicationError(_("只能以本单位执法机关的名义下达"), field="authority")
    if officer_1 is None or officer_2 is None:
        raise ApplicationError(_("执法文书须由两名执法人员签署"))
    if officer_1.pk == officer_2.pk:
        raise ApplicationError(_("两名执法人员不能是同一人"), field="officer_2")
    for field, officer in (("officer_1", officer_1), ("officer_2", officer_2)):
        if officer.authority_id != authority.pk or not officer.is_active:
            raise ApplicationError(_("执法人员不属于该执法机关"), field=field)


@transaction.atomic
def enforcement_issue(
    *,
    user,
    entity,
    kind: str,
    issued_on: dt.date,
    content: str,
    legal_basis: str = "",
    deadline: dt.date | None = None,
    amount=None,
    hazard=None,
    authority: IssuingAuthority | None = None,
    officer_1=None,
    officer_2=None,
) -> Enforcement:
    """Issue a document to an entity. In the name of ``authority`` it is numbered in the
    authority's series and signed by two of its officers; without one (older ledgers) it is
    numbered in the township office's own series."""
    check_scope(user, entity, ISSUE_ENFORCEMENT)
    if hazard is not None and hazard.entity_id != entity.pk:
        raise ApplicationError(_("隐患不属于该监管对象"), field="hazard")
    if kind == EnforcementKind.PENALTY and (amount is None or not legal_basis):
        raise ApplicationError(_("行政处罚须填写罚款金额和法律依据"))
    if kind in OFFICIAL_KINDS and deadline is None:
        raise ApplicationError(_("请填写整改期限"), field="deadline")
    if deadline and deadline < issued_on:
        raise ApplicationError(_("整改期限不能早于下达日期"), field="deadline")
    if authority is None and not user.is_township_level:
        raise ApplicationError(_("请选择执法机关"), field="authority")
    township = entity.township
    if authority is not None:
        _check_authority(user, authority, officer_1, officer_2)
        seq = authority_next_number(authority=authority, kind=f"enf-{kind}", year=issued_on.year)
        number = authority_number(authority, NOTICE_PREFIX[kind], issued_on.year, seq)
    else:
        seq = next_number(township=township, kind=f"enf-{kind}", year=issued_on.year)
        number = f"{township.name}安监{NOTICE_PREFIX[kind]}〔{issued_on.year}〕{seq}号"
    enforcement = Enforcement(
        township=township,
        entity=entity,
        hazard=hazard,
        kind=kind,
        number=number,
        issued_on=issued_on,
        content=content,
        legal_basis=legal_basis,
        deadline=deadline,
        amount=amount if kind == EnforcementKind.PENALTY else None,
        issued_by=user,
        authority=authority,
        officer_1=officer_1 if authority else None,
        officer_2=officer_2 if authority else None,
    )
    enforcement.full_clean()
    enforcement.save()
    return enforcement


@transaction.atomic
def reinspection_issue(
    *,
    user,
    notice: Enforcement,
    reinspected_on: dt.date,
    findings: str,
    conclusion: str,
    officer_1,
    officer_2,
    authority: IssuingAuthority | None = None,
) -> Reinspection:
    """The 整改复查意见书 after re-inspecting what a notice ordered: numbered in the series of the
    authority that signs it (the notice's own by default), linked to the notice. A notice already
    found rectified takes no further re-inspection."""
    check_scope(user, notice, ISSUE_ENFORCEMENT)
    notice = Enforcement.objects.select_for_update().select_related("township").get(pk=notice.pk)
    if notice.kind not in REINSPECTED_KINDS:
        raise ApplicationError(_("只有责令整改和停产整改的指令书需要复查"))
    if reinspected_on < notice.issued_on:
        raise ApplicationError(_("复查日期不能早于指令书下达日期"), field="reinspected_on")
    if notice.reinspections.filter(conclusion=ReinspectionConclusion.RECTIFIED).exists():
        raise ApplicationError(_("该指令书已复查合格，无需再次复查"))
    if not (findings or "").strip():
        raise ApplicationError(_("请填写复查情况"), field="findings")
    authority = authority or notice.authority
    if authority is None:
        raise ApplicationError(_("请选择执法机关"), field="authority")
    _check_authority(user, authority, officer_1, officer_2)
    seq = authority_next_number(authority=authority, kind="reinspection", year=reinspected_on.year)
    reinspection = Reinspection(
        township=notice.township,
        notice=notice,
        authority=authority,
        number=authority_number(authority, REINSPECTION_PREFIX, reinspected_on.year, seq),
        reinspected_on=reinspected_on,
        findings=findings.strip(),
        conclusion=conclusion,
        officer_1=officer_1,
        officer_2=officer_2,
        issued_by=user,
    )
    reinspection.full_clean()
    reinspection.save()
    return reinspection


@transaction.atomic
def authority_create(*, area, name: str, series: str) -> IssuingAuthority:
    authority = IssuingAuthority(area=area, name=name, series=series)
    authority.full_clean()
    authority.save()
    return authority


@transaction.atomic
def officer_add(*, authority: IssuingAuthority, name: str, certificate_number: str, user=None):
    from ..models import EnforcementOfficer

    officer = EnforcementOfficer(authority=authority, name=name, certificate_number=certificate_number, user=user)
    officer.full_clean()
    officer.save()
    return officer
