"""The review queue's columns and the case page's read-only fields."""

import datetime

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from core.formatting import local_date, local_datetime

from .. import deadlines
from ..models import COMMITTEE_STATES, Party, key_dates


def _local(value: datetime.datetime | None) -> str:
    return local_datetime(value) or "–"


class ProposalColumnsMixin:
    """What ``ProposalAdmin`` shows of a case, besides its model fields."""

    @admin.display(description=_("committee"), ordering="committee__name")
    def committee_name(self, obj):
        # "Helgeroa/Nevlunghavn" may break after the slash: the column stays narrow.
        return format_html_join(
            mark_safe("/<wbr>"),  # noqa: S308 (our own markup)
            "{}",
            ((part,) for part in obj.committee.name.split("/")),
        )

    @admin.display(description=_("next deadline"), ordering="next_due")
    def next_deadline(self, obj):
        if obj.next_due is None:
            return "–"
        day = local_date(obj.next_due)
        if obj.is_overdue:
            return format_html(
                '<span class="proposal-overdue">{} <strong>{}</strong></span>',
                day,
                pgettext("short marker after a date in the queue; keep it short", "Overdue"),
            )
        return day

    @admin.display(description=_("§ 12-1"), boolean=True, ordering="citizen_proposal_at")
    def is_citizen_proposal(self, obj):
        return obj.is_citizen_proposal

    @admin.display(description=_("citizens' proposal (§ 12-1)"))
    def citizen_proposal_status(self, obj):
        if obj.citizen_proposal_at is None:
            return _("No")
        return _("Yes, since %(date)s") % {"date": _local(obj.citizen_proposal_at)}

    @admin.display(description=_("author's e-mail"))
    def author_email(self, obj):
        return obj.author.email

    @admin.display(description=_("official answer"))
    def official_answer(self, obj):
        answer = getattr(obj, "answer", None)
        if answer is None:
            return _("Not written yet.")
        url = reverse("admin:proposals_officialanswer_change", args=[answer.pk])
        status = (
            _("published %(date)s") % {"date": _local(answer.published_at)}
            if answer.is_published
            else _("draft")
        )
        return format_html('<a href="{}">{}</a> ({})', url, answer.get_outcome_display(), status)

    @admin.display(description=_("message to the committee"))
    def dialogue_closed(self, obj):
        if obj.state in COMMITTEE_STATES:
            return _(
                "The case is still with the committee. Messages can be written once it has "
                "been forwarded to the municipality."
            )
        return _("The case is closed (“%(state)s”), and so is the dialogue.") % {
            "state": obj.get_state_display()
        }

    @admin.display(description=_("running deadlines"))
    def deadline_overview(self, obj):
        running = deadlines.proposal_deadlines(obj, open_requests=deadlines.open_requests_for(obj))
        if not running:
            return _("No deadline is running.")
        today = timezone.localdate()
        rows = []
        for deadline in running:
            overdue = (
                format_html(' <strong class="proposal-overdue">{}</strong>', _("Overdue"))
                if deadline.is_overdue(today)
                else ""
            )
            rows.append(
                (
                    deadline.label,
                    local_date(deadline.due),
                    Party(deadline.party).label,
                    overdue,
                )
            )
        return format_html(
            '<ul class="proposal-deadlines">{}</ul>',
            format_html_join("", "<li>{}: {} ({}){}</li>", rows),
        )

    @admin.display(description=_("key dates"))
    def key_dates(self, obj):
        rows = [(label, _local(value)) for label, value in key_dates(obj)]
        return format_html(
            '<dl class="proposal-dates">{}</dl>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
        )
