"""The municipality's grants admin, a module per model group: schemes, figures and allocations
(``schemes``), applications (``applications``), annual reports (``annual_reports``)."""

from . import annual_reports, applications, schemes  # noqa: F401 (registers the admins)
