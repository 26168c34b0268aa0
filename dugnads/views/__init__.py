"""The dugnads' pages, one module per audience: ``public`` (list, detail, Min side),
``signups`` (residents and guests), ``manage`` (the organisers), ``reports`` (after the event),
``calendar`` (.ics files and feeds)."""
