"""The municipality's economic picture in figures, for everyone (``/nokkeltall/``)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import key_figures as selectors


def _year(raw, years: list[int]) -> int:
    """The year asked for when it has figures, else this year (garbage is never an error)."""
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if year in years else timezone.localdate().year


@require_safe
def key_figures(request):
    years = selectors.years_available()
    year = _year(request.GET.get("year"), years)
    return render(
        request,
        "grants/key_figures.html",
        {"figures": selectors.figures_for_year(year=year), "years": years, "year": year},
    )
