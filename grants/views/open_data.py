"""Open data (/apne-data/): the page listing every dataset with its schema and licence, and the
downloads themselves (/apne-data/<slug>.csv, /apne-data/<slug>.json). Public: anyone may read
and reuse them (NLOD 2.0), from any site (CORS), so no permission is checked beyond what each
dataset's rows already are — only public rows (``grants.open_data``)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import open_data as registry


@require_safe
def open_data(request):
    return render(
        request,
        "grants/open_data.html",
        {
            "datasets": list(registry.DATASETS.values()),
            "licence": registry.LICENCE,
            "schema_version": registry.SCHEMA_VERSION,
        },
    )


@require_safe
def dataset(request, dataset: str, fmt: str):
    found = registry.dataset_get(dataset)
    if found is None or fmt not in registry.FORMATS:
        raise Http404
    response = found.csv_response() if fmt == "csv" else found.json_response()
    # Open data may be read by any site's scripts, and loaded by any site.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
