"""The agreements' admin, one module per screen: the agreements themselves, written through
the services with their lines inline (``agreements``; signing for the municipality in
``signing``), and the two work lists — the municipality's payments due (``payments``) and the
committee's reports (``reports``). Importing the modules registers the admins."""

from . import agreements, payments, reports

__all__ = ["agreements", "payments", "reports"]
