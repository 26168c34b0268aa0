"""The dugnads' admin, by sub-domain: the dugnads themselves, shown, never edited (``dugnads``,
their CSV export in ``exports``), the department's work list of resource requests with the
municipality's answers (``work_list``), and the records the services write (``records``).
Importing the modules registers the admins."""

from . import dugnads, records, work_list

__all__ = ["dugnads", "records", "work_list"]
