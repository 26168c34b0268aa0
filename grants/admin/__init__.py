"""The municipality's grants admin, a module per model group: schemes (``schemes``), population
figures (``figures``), allocations (``allocations``), applications (``applications``), annual
reports (``annual_reports``); the shared History page without "Revert" in ``history``."""

from . import (  # noqa: F401 (registers the admins)
    allocations,
    annual_reports,
    applications,
    figures,
    schemes,
)
