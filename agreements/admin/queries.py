"""What the agreements' admin lists add to each row, in the list's own query, and the rules its
filters and columns share (one place: a column says "Overdue" exactly when the filter finds it).

- An agreement's **next payment due**: the earliest instalment not paid and not cancelled.
- Its **next report due**: the earliest report duty the committee still owes (due or returned).
- **Overdue on the municipality's side**: that payment's due date has passed; **on the
  committee's side**: that report's due date has passed (``core.deadlines.overdue_q``, the one
  rule for "overdue" everywhere).
- **Expiring**: in the state "expiring", or in force with its notice period begun (the daily
  follow-up moves it to "expiring"; the list does not wait for it).
"""

import datetime

from django.db.models import DateField, F, Func, Min, OuterRef, Q, Subquery
from django.utils import timezone

from core.deadlines import overdue_q

from ..models import DUTY_OWED_STATES, IN_FORCE_STATES, Payment, ReportDuty, State


def _earliest(model, **where) -> Subquery:
    """The earliest due date per agreement from another table, as a subquery (a join would
    multiply payments by reports)."""
    rows = (
        model.objects.filter(agreement=OuterRef("pk"), **where)
        .order_by()
        .values("agreement")
        .annotate(first=Min("due_on"))
        .values("first")
    )
    return Subquery(rows, output_field=DateField())


def unpaid_q(prefix: str = "") -> Q:
    """An instalment the municipality still has to pay."""
    return Q(**{f"{prefix}paid_on__isnull": True, f"{prefix}cancelled": False})


def owed_q(prefix: str = "") -> Q:
    """A report the committee still has to write (or write again)."""
    return Q(**{f"{prefix}state__in": DUTY_OWED_STATES})


class NoticeStarts(Func):
    """The first day of the notice period: the end minus the notice months, in PostgreSQL's
    calendar months — ``services.renewal.notice_starts`` (``core.deadlines.add_months``) as SQL,
    so the list can filter on it."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        return self._compiled(compiler, postgresql_notice_starts)

    def as_sqlite(self, compiler, connection, **extra):
        # The embedded default database for a quick local run (CI and production: PostgreSQL).
        return self._compiled(compiler, sqlite_notice_starts)

    def _compiled(self, compiler, template):
        ends_on, months = self.get_source_expressions()
        ends_sql, ends_params = compiler.compile(ends_on)
        months_sql, months_params = compiler.compile(months)
        sql, order = template(ends_sql, months_sql)
        params = {"ends": ends_params, "months": months_params}
        return sql, [param for name in order for param in params[name]]


def postgresql_notice_starts(ends: str, months: str) -> tuple[str, list[str]]:
    """PostgreSQL's interval arithmetic clamps to the month's last day, as ``add_months``."""
    return (
        f"(({ends}) - make_interval(months => ({months})::integer))::date",
        ["ends", "months"],
    )


def sqlite_notice_starts(ends: str, months: str) -> tuple[str, list[str]]:
    """SQLite's ``date(x, '-N months')`` rolls 31 March − 1 month over to 3 March; the law's
    calendar month clamps to 28/29 February. So: the first of the target month, plus the end's
    day of the month, at most that month's last day (``min`` of two is SQLite's scalar min)."""
    first = f"date(({ends}), 'start of month', '-' || ({months}) || ' months')"
    last_day = f"CAST(strftime('%d', date({first}, '+1 month', '-1 day')) AS INTEGER)"
    day = f"CAST(strftime('%d', ({ends})) AS INTEGER)"
    return (
        f"date({first}, '+' || (min({day}, {last_day}) - 1) || ' days')",
        ["ends", "months", "ends", "ends", "months"],
    )


def with_admin_figures(queryset):
    return queryset.annotate(
        next_payment_due=_earliest(Payment, paid_on__isnull=True, cancelled=False),
        next_report_due=_earliest(ReportDuty, state__in=DUTY_OWED_STATES),
        notice_from=NoticeStarts(F("ends_on"), F("notice_months")),
    )


def expiring_q(today: datetime.date | None = None) -> Q:
    """Needs ``with_admin_figures``."""
    today = today or timezone.localdate()
    return Q(state=State.EXPIRING) | Q(state__in=IN_FORCE_STATES, notice_from__lte=today)


def payment_overdue_q(today: datetime.date | None = None) -> Q:
    """The municipality is late: an unpaid instalment past its due date. Needs
    ``with_admin_figures``."""
    return overdue_q("next_payment_due", today=today)


def report_overdue_q(today: datetime.date | None = None) -> Q:
    """The committee is late: a report it owes past its due date. Needs ``with_admin_figures``."""
    return overdue_q("next_report_due", today=today)


def sum_of(model, field: str, *, through: str = "agreement", **where):
    """A sum per agreement from another table (0 when it has none), as a subquery."""
    from django.db.models import DecimalField, Sum
    from django.db.models.functions import Coalesce

    rows = (
        model.objects.filter(**{through: OuterRef("pk")}, **where)
        .order_by()
        .values(through)
        .annotate(total=Sum(field))
        .values("total")
    )
    output = DecimalField(max_digits=14, decimal_places=2)
    return Coalesce(Subquery(rows, output_field=output), 0, output_field=output)
