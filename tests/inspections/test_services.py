import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from inspections.choices import (
    EnforcementKind,
    EntityKind,
    EscalationLevel,
    HazardAction,
    HazardStatus,
    ItemResult,
    Rating,
    SupervisionClass,
)
from inspections.models import (
    EntityGrading,
    Hazard,
    HazardEvent,
    Notification,
    SupervisedEntity,
)
from inspections.services import (
    ItemOutcome,
    checklist_template_revise,
    enforcement_issue,
    entity_create,
    entity_regrade,
    frequency_set,
    hazard_plan_save,
    hazard_register,
    hazard_supervise,
    hazard_transition,
    hazards_escalate_overdue,
    inspection_record,
)
from safecommunity.exceptions import ApplicationError

from .factories import HazardFactory, checklist, grade, html_as_jpeg, jpeg_upload

ALL_STATUSES = list(HazardStatus)
ACTIONS = [HazardAction.START, HazardAction.SUBMIT, HazardAction.VERIFY_PASS, HazardAction.VERIFY_FAIL]
# The rectification loop of the hazard ledger, written out here rather than read from the code
# under test: (status, action) → the status it leads to; every other pair is refused.
EXPECTED_TRANSITIONS = {
    (HazardStatus.REGISTERED, HazardAction.START): HazardStatus.RECTIFYING,
    (HazardStatus.RECTIFYING, HazardAction.SUBMIT): HazardStatus.PENDING_VERIFICATION,
    (HazardStatus.PENDING_VERIFICATION, HazardAction.VERIFY_PASS): HazardStatus.CLOSED,
    (HazardStatus.PENDING_VERIFICATION, HazardAction.VERIFY_FAIL): HazardStatus.RECTIFYING,
}


def _hazard(entities, world, status=HazardStatus.REGISTERED, major=False, registrar="inspector1"):
    return HazardFactory(
        entity=entities["e1"],
        registered_by=world.users[registrar],
        status=status,
        grade=grade(world.county, major=major),
        closed_on=timezone.localdate() if status == HazardStatus.CLOSED else None,
    )


@pytest.mark.parametrize("status, action", list(itertools.product(ALL_STATUSES, ACTIONS)))
def test_state_machine_allows_exactly_the_listed_transitions(entities, world, status, action):
    hazard = _hazard(entities, world, status=status, registrar="inspector1")
    target = EXPECTED_TRANSITIONS.get((status, action))

    def call():
        # township1 is not the registrar, so the different-verifier rule does not interfere here.
        return hazard_transition(hazard=hazard, user=world.users["township1"], action=action, reason="现场复查")

    if target is not None:
        call()
        hazard.refresh_from_db()
        assert hazard.status == target
        event = hazard.events.get()
        assert (event.from_status, event.to_status, event.actor) == (status, target, world.users["township1"])
        assert event.reason == "现场复查"
    else:
        with pytest.raises(ApplicationError):
            call()
        hazard.refresh_from_db()
        assert hazard.status == status
        assert not hazard.events.exists()


def test_full_loop_with_failed_verification_returns_to_rectifying(entities, world):
    inspector, staff = world.users["inspector1"], world.users["township1"]
    hazard = hazard_register(
        user=inspector,
        entity=entities["e1"],
        grade=grade(world.county),
        description="配电箱无防护",
        found_on=timezone.localdate(),
        deadline=timezone.localdate() + dt.timedelta(days=7),
    )
    hazard_transition(hazard=hazard, user=inspector, action=HazardAction.START)
    hazard_transition(hazard=hazard, user=inspector, action=HazardAction.SUBMIT, reason="已加装防护罩")
    hazard_transition(hazard=hazard, user=staff, action=HazardAction.VERIFY_FAIL, reason="防护罩未接地")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFYING
    hazard_transition(hazard=hazard, user=inspector, action=HazardAction.SUBMIT)
    hazard_transition(hazard=hazard, user=staff, action=HazardAction.VERIFY_PASS, photos=[jpeg_upload()])
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED and hazard.closed_on == timezone.localdate()
    actions = list(hazard.events.values_list("action", flat=True))
    assert actions == ["register", "start", "submit", "verify_fail", "submit", "verify_pass"]
    assert hazard.events.get(action="verify_fail").reason == "防护罩未接地"
    assert hazard.events.get(action="verify_pass").photos.count() == 1


def test_registrar_cannot_verify_their_own_hazard(entities, world):
    hazard = _hazard(entities, world, status=HazardStatus.PENDING_VERIFICATION, registrar="inspector1")
    for action in (HazardAction.VERIFY_PASS, HazardAction.VERIFY_FAIL):
        with pytest.raises(ApplicationError, match="登记人以外"):
            hazard_transition(hazard=hazard, user=world.users["inspector1"], action=action, reason="已整改")


def test_verification_needs_evidence(entities, world):
    hazard = _hazard(entities, world, status=HazardStatus.PENDING_VERIFICATION)
    with pytest.raises(ApplicationError, match="照片或验收意见"):
        hazard_transition(hazard=hazard, user=world.users["township1"], action=HazardAction.VERIFY_PASS)


def test_failed_verification_needs_a_reason_even_with_a_photo(entities, world):
    hazard = _hazard(entities, world, status=HazardStatus.PENDING_VERIFICATION)
    with pytest.raises(ApplicationError):
        hazard_transition(
            hazard=hazard, user=world.users["township1"], action=HazardAction.VERIFY_FAIL, photos=[jpeg_upload()]
        )


def test_verification_photo_must_be_a_real_image(entities, world):
    hazard = _hazard(entities, world, status=HazardStatus.PENDING_VERIFICATION)
    with pytest.raises(ValidationError, match="不是有效的图片"):
        hazard_transition(
            hazard=hazard, user=world.users["township1"], action=HazardAction.VERIFY_PASS, photos=[html_as_jpeg()]
        )
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.PENDING_VERIFICATION


def test_inspector_cannot_act_on_another_grids_hazard(entities, world):
    hazard = HazardFactory(entity=entities["e1b"], registered_by=world.users["township1"])
    with pytest.raises(PermissionDenied):
        hazard_transition(hazard=hazard, user=world.users["inspector1"], action=HazardAction.START)
    with pytest.raises(PermissionDenied):
        hazard_transition(hazard=hazard, user=world.users["member1"], action=HazardAction.START)
    with pytest.raises(PermissionDenied):
        hazard_transition(hazard=hazard, user=world.users["township2"], action=HazardAction.START)


PLAN = dict(
    target="消除重大隐患",
    measures="更换储罐",
    funds="12.50",
    responsible_people="厂长 王某",
    deadline=dt.date(2026, 12, 31),
    interim_measures="停用储罐区并设警戒",
    emergency_plan="《泄漏应急预案》",
)


def test_major_hazard_needs_a_plan_before_rectification(entities, world):
    hazard = _hazard(entities, world, major=True)
    with pytest.raises(ApplicationError, match="整改方案"):
        hazard_transition(hazard=hazard, user=world.users["inspector1"], action=HazardAction.START)
    hazard_plan_save(hazard=hazard, user=world.users["inspector1"], **PLAN)
    hazard_transition(hazard=hazard, user=world.users["inspector1"], action=HazardAction.START)
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.RECTIFYING


def test_plan_is_refused_for_a_general_hazard_and_needs_every_part(entities, world):
    with pytest.raises(ApplicationError):
        hazard_plan_save(hazard=_hazard(entities, world), user=world.users["township1"], **PLAN)
    with pytest.raises(ValidationError):
        hazard_plan_save(
            hazard=_hazard(entities, world, major=True), user=world.users["township1"], **{**PLAN, "emergency_plan": ""}
        )


def test_county_supervision_is_for_major_hazards_by_the_county(entities, world):
    major = _hazard(entities, world, major=True)
    with pytest.raises(PermissionDenied):
        hazard_supervise(hazard=major, user=world.users["township1"])
    with pytest.raises(PermissionDenied):
        hazard_supervise(hazard=major, user=world.users["othercounty"])
    hazard_supervise(hazard=major, user=world.users["county"], reason="县安委办挂牌")
    assert Hazard.objects.get(pk=major.pk).county_supervised
    with pytest.raises(ApplicationError):
        hazard_supervise(hazard=_hazard(entities, world), user=world.users["county"])


def test_inspection_registers_a_hazard_from_a_failed_item_in_one_step(entities, world):
    template = checklist(world.county)
    items = list(template.items.all())
    entity = entities["e1"]
    when = timezone.now() - dt.timedelta(hours=1)
    inspection = inspection_record(
        user=world.users["inspector1"],
        entity=entity,
        inspected_at=when,
        representative_name="张三",
        rating=Rating.AVERAGE,
        template=template,
        joint_agencies=["fire"],
        photos=[jpeg_upload()],
        outcomes=[
            ItemOutcome(items[0], ItemResult.CONFORM),
            ItemOutcome(
                items[1],
                ItemResult.NONCONFORM,
                note="安全出口上锁",
                hazard={
                    "grade": grade(world.county),
                    "description": "安全出口上锁",
                    "deadline": timezone.localdate() + dt.timedelta(days=3),
                },
                photos=[jpeg_upload()],
            ),
            ItemOutcome(items[2], ItemResult.NOT_APPLICABLE),
        ],
    )
    hazard = inspection.hazards.get()
    assert hazard.item == items[1] and hazard.registered_by == world.users["inspector1"]
    assert hazard.status == HazardStatus.REGISTERED and hazard.photos.count() == 1
    assert hazard.number.startswith("YH371799001")
    assert inspection.photos.count() == 1 and inspection.is_joint
    entity.refresh_from_db()
    assert entity.last_inspected_on == timezone.localtime(when).date()
    assert entity.next_due_on == entity.last_inspected_on + dt.timedelta(days=60)  # class C default


def test_inspection_must_answer_every_item_of_the_template(entities, world):
    template = checklist(world.county)
    item = template.items.first()
    with pytest.raises(ApplicationError, match="每一项"):
        inspection_record(
            user=world.users["township1"],
            entity=entities["e1"],
            inspected_at=timezone.now(),
            representative_name="张三",
            rating=Rating.GOOD,
            template=template,
            outcomes=[ItemOutcome(item, ItemResult.CONFORM)],
        )


def test_hazard_only_from_a_failed_item(entities, world):
    template = checklist(world.county, n=1)
    item = template.items.get()
    with pytest.raises(ApplicationError):
        inspection_record(
            user=world.users["township1"],
            entity=entities["e1"],
            inspected_at=timezone.now(),
            representative_name="张三",
            rating=Rating.GOOD,
            template=template,
            outcomes=[ItemOutcome(item, ItemResult.CONFORM, hazard={"grade": grade(world.county)})],
        )


def test_inspector_cannot_record_for_another_grid(entities, world):
    with pytest.raises(PermissionDenied):
        inspection_record(
            user=world.users["inspector1"],
            entity=entities["e1b"],
            inspected_at=timezone.now(),
            representative_name="李四",
            rating=Rating.GOOD,
            outcomes=[],
        )


def _inspect(entity, user, rating, days_ago):
    return inspection_record(
        user=user,
        entity=entity,
        inspected_at=timezone.now() - dt.timedelta(days=days_ago),
        representative_name="张三",
        rating=rating,
        outcomes=[],
    )


@pytest.mark.parametrize(
    "ratings, flagged",
    [
        ([Rating.AVERAGE, Rating.POOR], True),
        ([Rating.POOR, Rating.POOR], True),
        ([Rating.AVERAGE, Rating.GOOD], False),
        ([Rating.AVERAGE, Rating.GOOD, Rating.AVERAGE], False),
        ([Rating.AVERAGE], False),
    ],
)
def test_rated_average_or_poor_twice_in_a_row_flags_a_summons(entities, world, ratings, flagged):
    entity = entities["e1"]
    for i, rating in enumerate(ratings):
        _inspect(entity, world.users["township1"], rating, days_ago=len(ratings) - i)
    entity.refresh_from_db()
    assert entity.summons_required is flagged


def test_regrading_keeps_history_and_moves_the_due_date(entities, world):
    entity = entities["e1"]
    _inspect(entity, world.users["township1"], Rating.GOOD, days_ago=2)
    staff = world.users["township1"]
    entity_regrade(entity=entity, user=staff, year=2025, risk_colour="yellow", supervision_class="C")
    entity_regrade(entity=entity, user=staff, year=2026, risk_colour="red", supervision_class="A")
    assert list(EntityGrading.objects.filter(entity=entity).values_list("year", "supervision_class")) == [
        (2026, "A"),
        (2025, "C"),
    ]
    entity.refresh_from_db()
    assert entity.supervision_class == "A" and entity.risk_colour == "red"
    assert entity.next_due_on == entity.last_inspected_on + dt.timedelta(days=7)


def test_county_frequency_moves_due_dates(entities, world):
    entity = entities["e1"]
    _inspect(entity, world.users["township1"], Rating.GOOD, days_ago=1)
    entity.refresh_from_db()
    frequency_set(county=world.county, supervision_class=SupervisionClass.C, kind="", interval_days=10)
    frequency_set(
        county=world.county, supervision_class=SupervisionClass.C, kind=EntityKind.SMALL_SHOP, interval_days=3
    )
    entity.refresh_from_db()
    assert entity.next_due_on == entity.last_inspected_on + dt.timedelta(days=10)


def test_entity_create_checks_place_and_credit_code(world, grids):
    staff = world.users["township1"]
    entity = entity_create(
        user=staff,
        name="新华超市",
        credit_code="91350100m000100y43",
        kind=EntityKind.SMALL_SHOP,
        village=world.village1,
        grid=grids["grid1"],
    )
    assert entity.credit_code == "91350100M000100Y43" and entity.township == world.township1
    with pytest.raises(ApplicationError):  # same code twice
        entity_create(user=staff, name="另一家", credit_code="91350100M000100Y43", village=world.village1)
    with pytest.raises(ApplicationError):  # grid of another village
        entity_create(user=staff, name="错网格", village=world.villages1[2], grid=grids["grid1"])
    with pytest.raises(ValidationError):  # bad check character
        entity_create(user=staff, name="错代码", credit_code="91350100M000100Y44", village=world.village1)
    assert SupervisedEntity.objects.filter(name="新华超市").count() == 1


def test_checklist_revision_keeps_old_versions(world):
    v1 = checklist(world.county)
    v2 = checklist_template_revise(
        county=world.county,
        kind=EntityKind.ENTERPRISE,
        name="企业安全检查表",
        items=[{"category": "用电安全", "text": "线路规范"}],
    )
    v1.refresh_from_db()
    assert (v1.version, v1.is_current, v2.version, v2.is_current) == (1, False, 2, True)
    assert v1.items.count() == 3 and v2.items.count() == 1


def test_enforcement_notices_are_numbered_per_township_and_year(entities, world):
    staff = world.users["township1"]
    kw = dict(
        user=staff,
        entity=entities["e1"],
        kind=EnforcementKind.ORDER_RECTIFY,
        content="责令立即清理",
        issued_on=dt.date(2026, 3, 1),
        deadline=dt.date(2026, 3, 10),
    )
    first, second = enforcement_issue(**kw), enforcement_issue(**kw)
    assert first.number == "城关街道安监责改〔2026〕1号" and second.number == "城关街道安监责改〔2026〕2号"
    with pytest.raises(ApplicationError):
        enforcement_issue(
            user=staff,
            entity=entities["e1"],
            kind=EnforcementKind.PENALTY,
            content="罚款",
            issued_on=dt.date(2026, 3, 1),
        )
    penalty = enforcement_issue(
        user=staff,
        entity=entities["e1"],
        kind=EnforcementKind.PENALTY,
        content="罚款",
        issued_on=dt.date(2026, 3, 1),
        amount="20000",
        legal_basis="《安全生产法》第一百零二条",
    )
    assert penalty.amount == 20000
    with pytest.raises(PermissionDenied):
        enforcement_issue(**{**kw, "user": world.users["inspector1"]})


def test_escalation_owner_then_grid_head_then_township_and_county_for_major(entities, world):
    today = dt.date(2026, 6, 20)
    general = HazardFactory(
        entity=entities["e1"],
        registered_by=world.users["inspector1"],
        found_on=dt.date(2026, 6, 1),
        deadline=dt.date(2026, 6, 19),
    )
    major = HazardFactory(
        entity=entities["e1"],
        registered_by=world.users["inspector1"],
        grade=grade(world.county, True),
        found_on=dt.date(2026, 5, 1),
        deadline=dt.date(2026, 6, 10),
    )
    closed = HazardFactory(
        entity=entities["e1"],
        registered_by=world.users["inspector1"],
        status=HazardStatus.CLOSED,
        found_on=dt.date(2026, 5, 1),
        deadline=dt.date(2026, 5, 10),
        closed_on=dt.date(2026, 6, 1),
    )
    assert hazards_escalate_overdue(today=today) == 2
    general.refresh_from_db(), major.refresh_from_db(), closed.refresh_from_db()
    assert general.escalation_level == EscalationLevel.OWNER
    assert major.escalation_level == EscalationLevel.COUNTY
    assert closed.escalation_level == EscalationLevel.NONE
    owner_notes = Notification.objects.filter(hazard=general)
    assert set(owner_notes.values_list("recipient__username", flat=True)) == {"inspector1"}
    major_recipients = set(Notification.objects.filter(hazard=major).values_list("recipient__username", "level"))
    assert ("county", EscalationLevel.COUNTY) in major_recipients
    assert ("township1", EscalationLevel.GRID_HEAD) in major_recipients  # head of grid1
    assert ("othercounty", EscalationLevel.COUNTY) not in major_recipients
    # The same day again escalates nothing more.
    assert hazards_escalate_overdue(today=today) == 0
    assert hazards_escalate_overdue(today=today + dt.timedelta(days=3)) == 1
    general.refresh_from_db()
    assert general.escalation_level == EscalationLevel.GRID_HEAD
    assert HazardEvent.objects.filter(hazard=general, action="escalate").count() == 2


def test_escalation_sends_mail_only_when_mail_is_configured(entities, world, settings, mailoutbox):
    for name in ("inspector1", "township1"):  # owner, then grid head
        world.users[name].email = f"{name}@example.invalid"
        world.users[name].save()
    HazardFactory(
        entity=entities["e1"],
        registered_by=world.users["inspector1"],
        found_on=dt.date(2026, 6, 1),
        deadline=dt.date(2026, 6, 10),
    )
    settings.EMAIL_CONFIGURED = False
    hazards_escalate_overdue(today=dt.date(2026, 6, 12))
    assert len(mailoutbox) == 0
    settings.EMAIL_CONFIGURED = True
    hazards_escalate_overdue(today=dt.date(2026, 6, 14))
    assert len(mailoutbox) == 1 and "逾期" in mailoutbox[0].body
    assert mailoutbox[0].to == ["township1@example.invalid"]
