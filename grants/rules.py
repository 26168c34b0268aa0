"""The rules a scheme and an application must keep, in one place (the models' ``clean`` and
the services both call them). Each returns ``{field: [message, …]}``; empty when all is well."""

from django.utils.translation import gettext as _

from .states import PaymentRule, SchemeKind


def scheme_problems(scheme) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(field, message):
        problems.setdefault(field, []).append(message)

    if (
        scheme.age_from is not None
        and scheme.age_to is not None
        and scheme.age_to < scheme.age_from
    ):
        add("age_to", _("The age range must end at or after where it starts."))
    if scheme.kind == SchemeKind.FORMULA and not (scheme.base_amount or scheme.rate_per_resident):
        add("base_amount", _("A formula needs a base amount, a rate per resident, or both."))
    if scheme.kind == SchemeKind.FORMULA and scheme.payment_rule == PaymentRule.AFTERWARDS:
        # A formula grant is paid when its list is approved; nothing reports on it afterwards.
        add(
            "payment_rule",
            _(
                "A formula grant is paid when its allocation list is approved. “Paid "
                "afterwards” is for application-based schemes."
            ),
        )
    if (
        scheme.kind == SchemeKind.APPLICATION
        and scheme.max_amount is not None
        and scheme.pot is not None
        and scheme.max_amount > scheme.pot
    ):
        add("max_amount", _("The most per application cannot be more than the pot."))
    if (
        scheme.opens_on
        and scheme.application_deadline
        and scheme.application_deadline < scheme.opens_on
    ):
        add(
            "application_deadline", _("The deadline must be on or after the day applications open.")
        )
    for field in ("opens_on", "application_deadline", "report_deadline", "population_date"):
        day = getattr(scheme, field)
        if day and not 2000 <= day.year <= 2100:
            add(field, _("Give a date between the years 2000 and 2100."))
    return problems


def application_problems(application) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(field, message):
        problems.setdefault(field, []).append(message)

    if (
        application.starts_on
        and application.ends_on
        and application.ends_on < application.starts_on
    ):
        add("ends_on", _("The end must be on or after the start."))
    for field in ("starts_on", "ends_on"):
        day = getattr(application, field)
        if day and not 2000 <= day.year <= 2100:
            add(field, _("Give a date between the years 2000 and 2100."))
    if (application.latitude is None) != (application.longitude is None):
        add("longitude", _("Give both latitude and longitude, or neither."))
    scheme = application.scheme if application.scheme_id else None
    if scheme is not None and scheme.kind != SchemeKind.APPLICATION:
        add("scheme", _("This scheme is not open for applications: it is allocated by formula."))
    if scheme is not None and scheme.max_amount is not None:
        for field in ("amount_requested", "amount_granted"):
            amount = getattr(application, field)
            if amount is not None and amount > scheme.max_amount:
                add(
                    field,
                    _("The scheme gives at most %(amount)s.")
                    % {"amount": _money(scheme.max_amount)},
                )
    return problems


def _money(amount):
    from core.formatting import money

    return money(amount)
