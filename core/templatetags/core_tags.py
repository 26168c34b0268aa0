"""Template filters every app needs: money as "kr 12 000", a person's public name, local dates.

Apps load these with ``{% load core_tags %}``; the Python functions behind them live in
``core.formatting`` so services, CSV exports and e-mails format the same way as pages.
"""

from django import template

from core import formatting

register = template.Library()

register.filter("money", formatting.money)
register.filter("public_name", formatting.public_name)
register.filter("local_date", formatting.local_date)
register.filter("local_datetime", formatting.local_datetime)
register.filter("iso_datetime", formatting.iso_datetime)
