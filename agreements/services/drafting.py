"""A draft agreement from an accepted take-over proposal. (Filled in by the drafting work.)"""


def draft_from_proposal(*, proposal, actor, department=None):
    raise NotImplementedError
