"""The proposals' admin, by sub-domain: the review queue (``queue``, with its actions in
``actions`` and ``deciding`` and its columns in ``columns``), official answers and templates
(``answers``), the read-only records (``records``), the CSV export (``exports``), the list
filters (``filters``) and the forms (``forms``). Importing the modules registers the admins."""

from . import answers, queue, records

__all__ = ["answers", "queue", "records"]
