"""Who at the municipality hears of a case (``selectors.municipal_recipients``): its handler, else
its department's staff, else every case handler. Each branch by a case that takes it, and the
"no handler yet → tell the department" branch end to end, through a forwarded case (issue 10)."""

import pytest

from notifications.models import Notification
from proposals import notifications as kinds
from proposals import selectors, services
from proposals.models import State
from tests.factories import DepartmentFactory, DepartmentStaffFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(db):
    return DepartmentFactory(name="Park og idrett")


@pytest.fixture
def colleague(department):
    """Staff in the case's department, not in the case handler group: told only because of the
    department (the every-case-handler fallback would not reach them)."""
    return DepartmentStaffFactory(
        department=department, user__full_name="Dag Avdeling", user__email="dag@larvik.kommune.no"
    ).user


def _ids(people):
    return sorted(person.pk for person in people)


@pytest.mark.parametrize(
    ("case", "told"),
    [
        ("handler", "the handler"),
        ("inactive_handler_and_department", "the department"),
        ("department_only", "the department"),
        ("empty_department", "every case handler"),
        ("nothing", "every case handler"),
    ],
)
def test_the_handler_else_the_department_else_every_case_handler(
    case, told, committee, case_handler, department, colleague
):
    from tests.factories import UserFactory

    handler = UserFactory(is_staff=True, full_name="Hanne Handler")
    gone = UserFactory(is_staff=True, is_active=False)
    fields = {
        "handler": {"handler": handler, "department": department},
        "inactive_handler_and_department": {"handler": gone, "department": department},
        "department_only": {"department": department},
        "empty_department": {"department": DepartmentFactory()},
        "nothing": {},
    }[case]
    proposal = ProposalFactory(committee=committee, state=State.FORWARDED, **fields)
    expected = {
        "the handler": [handler],
        "the department": [colleague],
        "every case handler": [case_handler],
    }[told]
    assert _ids(selectors.municipal_recipients(proposal)) == _ids(expected)


def test_a_forwarded_case_with_no_handler_yet_is_told_to_its_department(
    committee, leader, case_handler, department, colleague
):
    """The committee forwards a case the municipality has put in a department but given to no
    one: the department's staff hear of the new case, not every case handler."""
    other_in_department = DepartmentStaffFactory(department=department).user
    proposal = ProposalFactory(committee=committee, department=department, handler=None)
    services.proposal_transition(proposal=proposal, actor=leader, to_state=State.FORWARDED)
    told = Notification.objects.filter(kind=kinds.NEW_CASE).values_list("recipient_id", flat=True)
    assert sorted(told) == _ids([colleague, other_in_department])
    assert case_handler.pk not in told
