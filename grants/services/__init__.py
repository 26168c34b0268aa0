"""Every write of the grants app, a module per domain (``lifecycle``, ``payments``,
``allocations``, ``applications``, ``application_reports``, ``annual_reports``, ``figures``)."""
