"""Which parties to a proposal each fixture user is (``user_in_role`` in tests/conftest.py turns
a role into its user), for the tests that try every role."""

from proposals.models import Party

ROLE_PARTIES = {
    "anonymous": set(),
    "resident": set(),
    "author": {Party.AUTHOR},
    "other_resident": set(),
    "board_member": {Party.COMMITTEE},
    "leader": {Party.COMMITTEE},
    "other_committee_leader": set(),
    "case_handler": {Party.MUNICIPALITY},
    # Staff access alone, or being the committee's municipal contact, does not make anyone the
    # municipality in a case: only the case handler group's permission does (issue 10).
    "staff_without_group": set(),
    "municipal_contact": set(),
    "superuser": {Party.MUNICIPALITY},
}
