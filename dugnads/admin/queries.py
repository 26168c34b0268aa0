"""What the dugnads' admin lists add to each row, in the list's own query."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from ..models import Resource, ResourceState, Signup, SignupState


def _count(model, value: str, **where) -> Coalesce:
    """A number per dugnad from another table, as a subquery: two joins summed in one query
    would multiply each other (sign-ups × resources)."""
    rows = (
        model.objects.filter(dugnad=OuterRef("pk"), **where)
        .order_by()
        .values("dugnad")
        .annotate(n=value)
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_admin_figures(queryset):
    return queryset.annotate(
        people_confirmed=_count(Signup, Sum("party_size"), state=SignupState.CONFIRMED),
        people_waiting=_count(Signup, Sum("party_size"), state=SignupState.WAITLISTED),
        unanswered_count=_count(Resource, Count("pk"), state=ResourceState.REQUESTED),
    )
