"""Who is municipal staff: the one rule every app uses (proposals today, dugnads and agreements next).

A municipal employee who handles cases is an active staff user holding ``committees.handle_cases``
(a permission of this app, given to the case handler group: ``core.staff``; administrators and
superusers hold it too). The case handlers, who may be given a case and hear of cases nobody else
is told about, are the active staff users in the case handler group.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from core.staff import CASE_HANDLER, group_name

HANDLE_CASES = "committees.handle_cases"


def is_municipal_staff(user) -> bool:
    """Whether ``user`` acts for the municipality (the case handler group, administrators,
    superusers); a deactivated account or one without staff access never does. ``has_perm``
    caches the user's permissions, so asking many times in one request costs the queries once."""
    return bool(
        user.is_authenticated and user.is_active and user.is_staff and user.has_perm(HANDLE_CASES)
    )


def case_handlers(*, including_pk=None) -> QuerySet:
    """The active staff in the case handler group, by name, in one query; ``including_pk`` adds
    a case's current handler so a form's choices never drop them silently."""
    User = get_user_model()
    members = User.objects.filter(
        is_active=True, is_staff=True, groups__name=group_name(CASE_HANDLER)
    ).values("pk")
    who = Q(pk__in=members)
    if including_pk is not None:
        who |= Q(pk=including_pk)
    return User.objects.filter(who).order_by("full_name", "email")
