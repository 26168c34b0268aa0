"""The public pages of the grant schemes (/tilskudd/): the schemes per year, and each scheme's
rules with their source; for a formula scheme its approved allocation list (who gets what, and
why a committee's sum is reserved) and the pot check; for an application scheme the granted
applications. Anyone may look: it is the municipality's money.

A draft allocation list is work in progress (its figures may still change): only the staff who
work it out see it here before it is approved. Both pages cost a fixed number of queries
however many schemes, allocations or applications there are."""

from decimal import Decimal

from django import forms
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ..exports import allocated_total
from ..models import (
    Allocation,
    AllocationListState,
    Application,
    GrantScheme,
)
from ..permissions import can_approve_allocations
from ..services.allocations import pot_check
from ..states import PUBLIC_APPLICATION_STATES, SchemeKind

MONEY_SUM = DecimalField(max_digits=14, decimal_places=2)


def granted_total():
    """What a scheme has granted to public (granted, reported, paid) applications."""
    sums = (
        Application.objects.filter(
            scheme=OuterRef("pk"), state__in=sorted(PUBLIC_APPLICATION_STATES)
        )
        .order_by()
        .values("scheme")
        .annotate(total=Sum("amount_granted"))
        .values("total")
    )
    return Coalesce(
        Subquery(sums, output_field=MONEY_SUM), Value(Decimal(0)), output_field=MONEY_SUM
    )


class YearFilterForm(forms.Form):
    aar = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, years=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["aar"].choices = [("", _("All years")), *((y, str(y)) for y in years)]

    def year(self) -> int | None:
        return self.cleaned_data.get("aar") if self.is_valid() else None


@require_safe
def scheme_list(request):
    years = list(GrantScheme.objects.order_by("-year").values_list("year", flat=True).distinct())
    form = YearFilterForm(request.GET or None, years=years)
    year = form.year() if request.GET else None
    schemes = (
        GrantScheme.objects.select_related("department")
        .annotate(allocated_total=allocated_total(), granted_total=granted_total())
        .order_by("-year", "name")
    )
    if year is not None:
        schemes = schemes.filter(year=year)
    return render(
        request,
        "grants/scheme_list.html",
        {
            "form": form,
            "schemes": list(schemes),
            "year": year,
            "years": years,
        },
    )


def _allocation_rows(scheme):
    return list(
        Allocation.objects.filter(scheme=scheme)
        .select_related("committee", "figure", "payment")
        .order_by("committee__name", "pk")
    )


@require_safe
def scheme_detail(request, pk: int):
    scheme = get_object_or_404(GrantScheme.objects.select_related("department"), pk=pk)
    context = {"scheme": scheme, "show_allocations": False, "applications": None}
    if scheme.kind == SchemeKind.FORMULA:
        approved = scheme.allocation_state == AllocationListState.APPROVED
        show = approved or can_approve_allocations(request.user)
        allocations = _allocation_rows(scheme) if show else []
        context.update(
            {
                "show_allocations": show,
                "draft": not approved,
                "allocations": allocations,
                "check": pot_check(scheme, allocations=allocations) if show else None,
            }
        )
    else:
        applications = list(
            Application.objects.filter(scheme=scheme, state__in=sorted(PUBLIC_APPLICATION_STATES))
            .select_related("committee")
            .order_by("number")
        )
        context.update(
            {
                "applications": applications,
                "granted_total": sum(
                    (a.amount_granted or Decimal(0) for a in applications), Decimal(0)
                ),
            }
        )
    return render(request, "grants/scheme_detail.html", context)
