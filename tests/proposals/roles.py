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
    "superuser": {Party.MUNICIPALITY},
}
