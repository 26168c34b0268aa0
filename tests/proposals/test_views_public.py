"""Public proposal pages × anonymous, outsider and allowed user: list, detail, support, follow,
attachments, Min side → My proposals, and the committee page's list of proposals."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import (
    Attachment,
    EventKind,
    Follow,
    Message,
    OfficialAnswer,
    Party,
    Proposal,
    ProposalEvent,
    State,
    Support,
)
from tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
LIST_URL = reverse("proposals:proposal-list")


def url(name, proposal):
    return reverse(f"proposals:{name}", kwargs={"reference": proposal.reference})


def has(body, text):
    """Interface text, whether the template escaped its apostrophes or not."""
    return text in body or text.replace("'", "&#x27;") in body


def flat(body):
    """The page without its line breaks (and the indentation around them)."""
    return re.sub(r"\s*\n\s*", "", body)


def english(client):
    client.cookies["nmu_language"] = "en"
    return client


def htmx(client, method, path, data=None):
    return getattr(client, method)(path, data or {}, headers={"HX-Request": "true"})


def attach(proposal, *, name="plan.pdf", content=b"%PDF-1.4 test", user=None):
    attachment = Attachment(
        proposal=proposal,
        token=f"tok{proposal.pk}{name.__hash__() & 0xFFFF:x}",
        extension=".pdf",
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        uploaded_by=user or proposal.author,
    )
    attachment.file.save("x.pdf", ContentFile(content), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def proposal(committee, resident):
    return ProposalFactory(
        committee=committee,
        author=resident,
        title="Benker ved stranda",
        reference="NMU-2000-0100",
    )


@pytest.fixture
def draft(committee, resident):
    return ProposalFactory(
        committee=committee, author=resident, state=State.DRAFT, reference=None, submitted_at=None
    )


# --- The list -------------------------------------------------------------------------------------


def test_list_anonymous_sees_published_not_drafts(client, proposal, draft):
    draft.title = "Hemmelig utkast"
    draft.save()
    response = client.get(LIST_URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Benker ved stranda" in body and "NMU-2000-0100" in body
    assert "Hemmelig utkast" not in body
    assert reverse("proposals:proposal-create") in body
    assert proposal.get_absolute_url() in body


def test_list_row_shows_facts_overdue_and_citizen_marker(client, committee):
    ProposalFactory(
        committee=committee,
        title="Gammel frist",
        supports_count=7,
        committee_due=timezone.localdate() - datetime.timedelta(days=2),
        next_due=timezone.localdate() - datetime.timedelta(days=2),
        citizen_proposal_at=timezone.now(),
    )
    body = english(client).get(LIST_URL).content.decode()
    assert "Svarstad" in body
    assert "Meeting places for all" in body  # category
    assert "Idea or initiative" in body  # kind
    assert "Submitted to the committee" in body  # state badge
    assert "overdue" in body
    assert has(body, "Citizens' proposal")
    assert "<dd>7</dd>" in body


def test_list_empty_state(client, db):
    body = english(client).get(LIST_URL).content.decode()
    assert "No proposals have been submitted yet" in body


def test_list_no_match_text(client, proposal):
    body = english(client).get(LIST_URL, {"q": "zzzzzz"}).content.decode()
    assert "No proposals match your search" in body


def test_list_filters(client, committee, other_committee):
    from tests.factories import CommitteeFactory

    child = CommitteeFactory(name="Svarstad sentrum", slug="svarstad-sentrum", parent=committee)
    a = ProposalFactory(committee=committee, title="Alfa", category="housing", kind="idea")
    b = ProposalFactory(committee=child, title="Beta", category="diversity", kind="dugnad")
    c = ProposalFactory(
        committee=other_committee, title="Gamma", category="housing", state=State.ACCEPTED
    )

    def titles(**params):
        body = client.get(LIST_URL, params).content.decode()
        return {p.title for p in (a, b, c) if f">{p.title}</a>" in body}

    assert titles() == {"Alfa", "Beta", "Gamma"}
    assert titles(utvalg="svarstad") == {"Alfa", "Beta"}  # includes sub-committees
    assert titles(utvalg="stavern") == {"Gamma"}
    assert titles(kategori="housing") == {"Alfa", "Gamma"}
    assert titles(type="dugnad") == {"Beta"}
    assert titles(status="open") == {"Alfa", "Beta"}
    assert titles(status="accepted") == {"Gamma"}
    assert titles(q="alfa") == {"Alfa"}


def test_list_sorts(client, committee):
    now = timezone.now()
    ProposalFactory(committee=committee, title="Old popular", supports_count=50,
                    submitted_at=now - datetime.timedelta(days=10))  # fmt: skip
    ProposalFactory(committee=committee, title="New quiet", supports_count=1, submitted_at=now)
    ProposalFactory(committee=committee, title="Due soon", supports_count=5,
                    submitted_at=now - datetime.timedelta(days=5),
                    next_due=timezone.localdate())  # fmt: skip

    def order(sort):
        body = client.get(LIST_URL, {"sortering": sort}).content.decode()
        return sorted(["Old popular", "New quiet", "Due soon"], key=body.index)

    assert order("newest") == ["New quiet", "Due soon", "Old popular"]
    assert order("supported") == ["Old popular", "Due soon", "New quiet"]
    assert order("deadline")[0] == "Due soon"


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bogus"},
        {"kategori": "nope", "type": "x" * 300},
        {"sortering": "'; DROP TABLE"},
        {"sortering": "relevance"},
        {"side": "abc"},
        {"side": "9999"},
        {"side": "-1"},
        {"utvalg": "finnes-ikke"},
        {"q": "x" * 1000},
        {"q": "   "},
        {"q": "a & b | !c:* ( ) <>"},
        {"status": "draft"},
    ],
)
def test_list_bad_input_is_never_an_error(client, proposal, params):
    assert client.get(LIST_URL, params).status_code == 200


def test_list_status_draft_never_shows_drafts(client, draft):
    draft.title = "Hemmelig utkast"
    draft.save()
    assert "Hemmelig utkast" not in client.get(LIST_URL, {"status": "draft"}).content.decode()


def test_list_paginates_and_links_keep_filters(client, committee):
    for n in range(25):
        ProposalFactory(committee=committee, title=f"Nr {n:02d}", category="housing")
    first = client.get(LIST_URL, {"kategori": "housing"}).content.decode()
    assert first.count('class="proposal-list__item"') == 20
    assert "kategori=housing&amp;side=2" in first
    second = client.get(LIST_URL, {"kategori": "housing", "side": "2"}).content.decode()
    assert second.count('class="proposal-list__item"') == 5


def test_list_htmx_returns_result_region_only(client, proposal):
    response = htmx(client, "get", LIST_URL, {"q": "Benker"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Benker ved stranda" in body
    assert 'data-hx-swap-oob="innerHTML"' in body
    assert "HX-Request" in response["Vary"]


def test_list_filter_form_works_with_and_without_js(client, db):
    body = client.get(LIST_URL).content.decode()
    assert 'method="get"' in body and f'action="{LIST_URL}"' in body
    assert f'data-hx-get="{LIST_URL}"' in body
    assert 'data-hx-target="#proposal-results"' in body
    assert 'data-hx-push-url="true"' in body
    assert "hx-on" not in body
    assert "<script>" not in body.replace('<script src="', "")


def test_list_escapes_user_text(client, committee):
    ProposalFactory(committee=committee, title=XSS)
    body = client.get(LIST_URL, {"q": XSS}).content.decode()
    assert XSS not in body
    assert XSS_ESCAPED in body


def test_list_query_count_does_not_grow(client, committee, resident):
    for _ in range(10):
        ProposalFactory(committee=committee, author=resident)
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST_URL).status_code == 200
    Proposal.objects.bulk_create(
        ProposalFactory.build(committee=committee, author=resident, reference=f"NMU-2001-{n:04d}")
        for n in range(990)
    )
    assert Proposal.objects.count() == 1000
    with CaptureQueriesContext(connection) as large:
        assert client.get(LIST_URL).status_code == 200
    assert len(small) == len(large)


def _tag(body, start):
    """The opening tag that begins with ``start`` (e.g. '<form class="proposal-filters"')."""
    at = body.index(start)
    return body[at : body.index(">", at) + 1]


def test_list_filters_update_only_when_the_form_is_sent(client, db):
    """WCAG 3.2.2: choosing in a select changes nothing until "Show proposals" or Enter."""
    body = english(client).get(LIST_URL).content.decode()
    form = _tag(body, '<form class="proposal-filters"')
    assert "hx-trigger" not in form  # htmx's default for a form: submit only
    assert "change" not in form
    assert f'data-hx-get="{LIST_URL}"' in form and 'data-hx-push-url="true"' in form
    assert 'method="get"' in form and f'action="{LIST_URL}"' in form
    assert 'type="submit">Show proposals</button>' in body
    fields = body[body.index('<form class="proposal-filters"') : body.index("</form>", 0)]
    assert "hx-get" not in fields.replace(form, "")  # no select asks by itself


def test_list_history_restore_refetches_the_whole_page(client, committee, other_committee):
    ProposalFactory(committee=committee, title="Alfa")
    ProposalFactory(committee=other_committee, title="Gamma")
    body = client.get(LIST_URL).content.decode()
    # No snapshot of the list is kept: back and forward fetch the page for that URL again.
    assert 'data-hx-history="false"' in _tag(body, '<form class="proposal-filters"')
    response = client.get(
        LIST_URL,
        {"utvalg": "stavern"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    body = response.content.decode()
    assert "<html" in body
    assert '<option value="stavern" selected>' in body  # the form shows the results' filter
    assert ">Gamma</a>" in body and ">Alfa</a>" not in body
    assert "HX-History-Restore-Request" in response["Vary"]


def test_list_htmx_response_updates_count_and_sort_field_in_place(client, proposal):
    english(client)
    body = flat(
        htmx(client, "get", LIST_URL, {"q": "Benker", "utvalg": "svarstad"}).content.decode()
    )
    assert '<span id="result-count" data-hx-swap-oob="innerHTML">1 proposal</span>' in body
    assert '<span id="filter-count" data-hx-swap-oob="innerHTML">(1 chosen)</span>' in body
    oob = body[body.index('<div id="filter-sortering" data-hx-swap-oob="innerHTML">') :]
    assert '<option value="" selected>Best match</option>' in oob


def test_list_result_count_is_a_focus_target_after_paging(client, committee):
    for n in range(25):
        ProposalFactory(committee=committee, title=f"Nr {n:02d}")
    body = flat(english(client).get(LIST_URL).content.decode())
    heading = _tag(body, '<h2 class="ds-heading proposal-count"')
    assert 'id="result-count"' in heading and 'tabindex="-1"' in heading
    assert 'aria-live="polite"' in heading
    assert "25 proposals, page 1 of 2</h2>" in body
    assert 'data-hx-swap="innerHTML show:#result-count:top"' in body
    # A small external script (CSP: no inline scripts) moves focus there after a swap.
    script = '<script src="/static/js/proposal-list.js" defer></script>'
    assert script in body
    from django.conf import settings

    source = (settings.BASE_DIR / "static" / "js" / "proposal-list.js").read_text()
    assert "htmx:afterSettle" in source and '"result-count"' in source
    assert ".focus()" in source
    # Each proposal is a heading under the count.
    assert '<h3 class="ds-heading proposal-list__title"' in body
    page2 = flat(htmx(client, "get", LIST_URL, {"side": "2"}).content.decode())
    assert (
        '<span id="result-count" data-hx-swap-oob="innerHTML">25 proposals, page 2 of 2</span>'
        in page2
    )


def test_list_best_match_is_offered_only_when_searching(client, proposal):
    def sort_options(params):
        body = english(client).get(LIST_URL, params).content.decode()
        select = body[body.index('name="sortering"') :]
        return select[: select.index("</select>")]

    without = sort_options({})
    assert "Best match" not in without and "relevance" not in without
    assert '<option value="" selected>Newest first</option>' in without
    searching = sort_options({"q": "benker"})
    assert '<option value="" selected>Best match</option>' in searching
    assert '<option value="newest">Newest first</option>' in searching
    assert '<option value="newest" selected>' in sort_options(
        {"q": "benker", "sortering": "newest"}
    )
    # An old link asking for the best match without a search says what it shows instead.
    body = english(client).get(LIST_URL, {"sortering": "relevance"}).content.decode()
    assert "Best match needs a search text, so the newest proposals are shown first." in body
    assert '<option value="" selected>Newest first</option>' in body
    assert "Best match needs" not in english(client).get(LIST_URL).content.decode()


@pytest.mark.parametrize(
    ("params", "sort", "fallback"),
    [
        ("", "newest", False),
        ("sortering=newest", "newest", False),
        ("sortering=relevance", "newest", True),
        ("q=benk", "relevance", False),
        ("q=benk&sortering=relevance", "relevance", False),
        ("q=benk&sortering=newest", "newest", False),
        ("q=benk&sortering=supported", "supported", False),
        ("q=%20%20&sortering=relevance", "newest", True),
        ("sortering=bogus", "newest", False),
    ],
)
def test_list_filter_form_sort(params, sort, fallback):
    from django.http import QueryDict

    from proposals.views.public import ProposalFilterForm

    form = ProposalFilterForm(QueryDict(params))
    assert form.filters()["sort"] == sort
    assert form.relevance_fallback is fallback


def test_list_filters_collapse_unless_one_is_chosen(client, proposal):
    body = english(client).get(LIST_URL, {"q": "benker"}).content.decode()
    details = _tag(body, '<details class="ds-details proposal-filters__more"')
    assert " open" not in details
    # The search stays outside the collapsible part; the button too.
    assert body.index('name="q"') < body.index("<details") < body.index('name="utvalg"')
    assert body.index("</details>") < body.index('type="submit">Show proposals')
    assert "<summary>Filter and sort <span" in body
    for params in ({"utvalg": "svarstad"}, {"status": "open"}, {"sortering": "supported"}):
        body = flat(english(client).get(LIST_URL, params).content.decode())
        assert " open>" in _tag(body, '<details class="ds-details proposal-filters__more"')
        assert '<span id="filter-count">(1 chosen)</span>' in body
    body = english(client).get(LIST_URL, {"utvalg": "finnes-ikke"}).content.decode()
    assert " open" not in _tag(body, '<details class="ds-details proposal-filters__more"')


def test_list_calls_the_category_topic(client, proposal):
    body = english(client).get(LIST_URL).content.decode()
    assert '<label class="ds-label" for="id_kategori">Topic</label>' in body
    assert ">All topics</option>" in body
    assert "<dt>Topic</dt>" in body
    assert "Category" not in body and "categories" not in body


@pytest.mark.postgres
def test_search_uses_norwegian_stemming(client, committee):
    ProposalFactory(committee=committee, title="Heising av flagg", summary="Ved skolen.")
    ProposalFactory(committee=committee, title="Ny benk", summary="Ved stranda.")
    body = client.get(LIST_URL, {"q": "flagget"}).content.decode()
    assert "Heising av flagg" in body
    assert "Ny benk" not in body
    ranked = client.get(LIST_URL, {"q": "flagget", "sortering": "relevance"}).content.decode()
    assert "Heising av flagg" in ranked


# --- The detail page ------------------------------------------------------------------------------


def test_detail_anonymous(client, proposal):
    response = english(client).get(proposal.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Benker ved stranda" in body and "NMU-2000-0100" in body
    assert "Ingrid Innbygger" in body
    assert proposal.committee.get_absolute_url() in body
    assert "Log in to support this proposal" in body
    assert "Log in to follow this proposal" in body
    assert "Dialogue between the committee and the municipality" not in body
    assert reverse("proposals:message-create", args=[proposal.reference]) not in body
    assert "?til=" not in body


def test_detail_unknown_reference_404(client, db):
    assert client.get("/forslag/NMU-1999-9999/").status_code == 404


def test_detail_draft_404_even_for_author(client, committee, resident):
    draft = ProposalFactory(
        committee=committee, author=resident, state=State.DRAFT, reference="NMU-2000-0999"
    )
    assert client.get(url("proposal-detail", draft)).status_code == 404
    client.force_login(resident)
    assert client.get(url("proposal-detail", draft)).status_code == 404


def test_detail_outsider_sees_no_dialogue(client, proposal, other_resident):
    Message.objects.create(proposal=proposal, party=Party.COMMITTEE, body="Hemmelig melding")
    client.force_login(other_resident)
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert "Hemmelig melding" not in body
    assert "Support the proposal" in body
    assert "?til=" not in body


def test_detail_board_member_sees_dialogue_form_and_actions(client, proposal, leader):
    Message.objects.create(
        proposal=proposal,
        party=Party.MUNICIPALITY,
        sender=None,
        body="Hvor mange benker?",
        answer_by=datetime.date(2030, 1, 2),
    )
    client.force_login(leader)
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert "Hvor mange benker?" in body
    assert "Answer requested by 02.01.2030" in body
    transition = url("proposal-transition", proposal)
    assert f"{transition}?til=forwarded" in body
    assert f"{transition}?til=declined" in body
    assert f"{transition}?til=committee_review" in body
    assert "Forward to the municipality" in body
    assert "?til=withdrawn" not in body  # only the author withdraws
    # The dialogue opens once the municipality has the case.
    assert f'action="{url("message-create", proposal)}"' not in body
    proposal.state = State.IN_REVIEW
    proposal.save()
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert f'action="{url("message-create", proposal)}"' in body
    assert 'name="body"' in body and 'name="answer_by"' in body


def test_detail_no_message_form_on_a_closed_case(client, committee, leader):
    proposal = ProposalFactory(committee=committee, state=State.DECLINED)
    client.force_login(leader)
    body = client.get(proposal.get_absolute_url()).content.decode()
    assert f'action="{url("message-create", proposal)}"' not in body


def test_detail_author_reads_dialogue_and_may_withdraw(client, proposal, resident):
    Message.objects.create(proposal=proposal, party=Party.COMMITTEE, body="Vi ser på det")
    client.force_login(resident)
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert "Vi ser på det" in body
    assert f"{url('proposal-transition', proposal)}?til=withdrawn" in body
    assert "Withdraw the proposal" in body
    assert f'action="{url("message-create", proposal)}"' not in body


def test_detail_case_handler_sees_municipal_actions_not_outcomes(client, committee, case_handler):
    proposal = ProposalFactory(committee=committee, state=State.FORWARDED)
    client.force_login(case_handler)
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    transition = url("proposal-transition", proposal)
    assert f"{transition}?til=received" in body
    assert f"{transition}?til=info_requested" in body
    assert "?til=accepted" not in body and "?til=rejected" not in body
    assert f'action="{url("message-create", proposal)}"' in body
    from django.urls import NoReverseMatch

    try:
        admin_url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    except NoReverseMatch:
        admin_url = None
    if admin_url:
        assert admin_url in body and "Open in case handling" in body


def test_detail_committee_answer_label_when_info_requested(client, committee, leader):
    proposal = ProposalFactory(committee=committee, state=State.INFO_REQUESTED)
    client.force_login(leader)
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert f"{url('proposal-transition', proposal)}?til=in_review" in body
    assert has(body, "Answer the municipality's question")


def test_detail_shows_overdue_deadline_prominently(client, committee):
    proposal = ProposalFactory(
        committee=committee,
        state=State.FORWARDED,
        forwarded_at=timezone.now(),
        decision_due=datetime.date(2020, 3, 12),
        preliminary_due=datetime.date(2030, 1, 1),
    )
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert "Decision from the municipality" in body
    assert "The deadline for an answer from the municipality passed on 12.03.2020." in body
    assert "Preliminary answer from the municipality" in body
    assert "01.01.2030" in body


def test_detail_open_message_request_is_a_deadline_for_the_parties_only(client, proposal, leader):
    Message.objects.create(
        proposal=proposal,
        party=Party.MUNICIPALITY,
        body="Spørsmål",
        answer_by=datetime.date(2020, 5, 6),
    )
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    # The dialogue and its deadlines stay with the parties.
    assert "Answer to a message" not in body and "Spørsmål" not in body
    client.force_login(leader)
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert "Answer to a message" in body
    assert "The deadline for answering a message passed on 06.05.2020." in body


def test_detail_answer_only_when_published(client, committee):
    proposal = ProposalFactory(committee=committee, state=State.IN_REVIEW)
    answer = OfficialAnswer.objects.create(
        proposal=proposal, outcome=State.ACCEPTED, body="Kommunen sier ja til benkene."
    )
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert "Kommunen sier ja til benkene." not in body
    answer.published_at = timezone.now()
    answer.save()
    proposal.state = State.ACCEPTED
    proposal.save()
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert "Kommunen sier ja til benkene." in body
    assert has(body, "The municipality's answer")


def test_detail_timeline_hides_internal_notes(client, proposal, leader, case_handler):
    ProposalEvent.objects.create(
        proposal=proposal,
        actor=leader,
        actor_party=Party.COMMITTEE,
        from_state=State.SUBMITTED,
        to_state=State.COMMITTEE_REVIEW,
        message="Vi tar det opp på neste møte.",
    )
    ProposalEvent.objects.create(
        proposal=proposal,
        kind=EventKind.NOTE,
        actor=case_handler,
        actor_party=Party.MUNICIPALITY,
        message="Intern vurdering",
        is_internal=True,
    )
    ProposalEvent.objects.create(
        proposal=proposal, kind=EventKind.CITIZEN_PROPOSAL, message="300 støtter."
    )
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert "Vi tar det opp på neste møte." in body
    assert "Sverre Leder" in body and "the committee" in body
    assert "Submitted to the committee → Being considered by the committee" in body
    assert "Intern vurdering" not in body
    assert has(body, "Became a citizens' proposal")


def test_detail_calls_the_category_topic(client, proposal):
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert "<dt>Topic</dt>" in body and "Category" not in body


def test_detail_shows_the_committees_reason_for_declining(client, committee, leader):
    proposal = ProposalFactory(committee=committee, state=State.COMMITTEE_REVIEW)
    services.proposal_transition(
        proposal=proposal,
        actor=leader,
        to_state=State.DECLINED,
        message="Dette hører til idrettsrådet, ikke utvalget.",
    )
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert has(body, "The committee's answer")
    box = body[body.index('aria-labelledby="committee-answer-heading"') :]
    box = box[: box.index("</section>")]
    assert "Dette hører til idrettsrådet, ikke utvalget." in box
    assert "Declined by the committee" in box
    assert f"Published {timezone.localdate():%d.%m.%Y}" in box
    # The box comes before the proposal itself, like the municipality's answer.
    assert body.index("committee-answer-heading") < body.index('id="proposal-heading"')


def test_detail_committee_answer_only_when_declined(client, committee):
    proposal = ProposalFactory(committee=committee, state=State.FORWARDED)
    ProposalEvent.objects.create(
        proposal=proposal, from_state=State.SUBMITTED, to_state=State.FORWARDED, message="Ja"
    )
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert "committee-answer-heading" not in body
    assert not has(body, "The committee's answer")


def test_detail_timeline_leaves_out_the_draft(client, proposal, resident):
    ProposalEvent.objects.create(
        proposal=proposal,
        actor=resident,
        actor_party=Party.AUTHOR,
        from_state=State.DRAFT,
        to_state=State.SUBMITTED,
    )
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert '<p class="timeline__what">Submitted to the committee</p>' in body
    assert "Draft →" not in body


def test_detail_never_shows_email_addresses(client, committee):
    from tests.factories import UserFactory

    author = UserFactory(email="hemmelig@example.no", full_name="")
    proposal = ProposalFactory(committee=committee, author=author)
    body = client.get(proposal.get_absolute_url()).content.decode()
    assert "hemmelig@example.no" not in body


def test_detail_takeover_facts_and_money(client, committee):
    proposal = ProposalFactory(
        committee=committee,
        kind="takeover",
        task="Flaggheising",
        season="Høytidsdager",
        volunteer_hours_per_year=40,
        compensation_per_year=12000,
        location_text="Svarstad sentrum",
        municipality_provides="Flagg og tau",
    )
    body = client.get(proposal.get_absolute_url()).content.decode()
    assert "Flaggheising" in body and "Høytidsdager" in body and "Flagg og tau" in body
    assert "Svarstad sentrum" in body
    assert "kr\xa012\xa0000" in body


def test_detail_supports_goal_and_threshold(client, committee):
    committee.support_goal = 50
    committee.save()
    proposal = ProposalFactory(committee=committee, supports_count=12)
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert "12 of 50 supports" in body
    assert "§ 12-1" in body
    from proposals.deadlines import citizen_proposal_threshold

    assert f"With {citizen_proposal_threshold()} supports" in body


def test_detail_citizen_proposal_notice(client, committee):
    proposal = ProposalFactory(
        committee=committee,
        citizen_proposal_at=timezone.now(),
        decision_due=datetime.date(2031, 6, 30),
    )
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert has(body, "This is a citizens' proposal")
    assert "30.06.2031" in body


def test_detail_escapes_user_text(client, committee, leader, resident):
    proposal = ProposalFactory(
        committee=committee,
        author=resident,
        title=XSS,
        summary=XSS,
        body=f"Første linje\n{XSS}",
        location_text=XSS,
    )
    Message.objects.create(proposal=proposal, party=Party.COMMITTEE, sender=leader, body=XSS)
    ProposalEvent.objects.create(proposal=proposal, actor=leader, message=XSS)
    attach(proposal, name=f"{XSS}.pdf")
    client.force_login(leader)
    body = client.get(proposal.get_absolute_url()).content.decode()
    assert XSS not in body
    assert body.count(XSS_ESCAPED) >= 6  # title ×2, summary, body, place, message, event, file


def test_detail_query_count_does_not_grow(client, committee, leader):
    proposal = ProposalFactory(committee=committee, title="Mange", state=State.IN_REVIEW)
    User = get_user_model()

    def grow(n, offset):
        users = User.objects.bulk_create(
            User(email=f"u{offset + i}@example.no", full_name=f"Bruker {offset + i}")
            for i in range(n)
        )
        Support.objects.bulk_create(Support(proposal=proposal, user=u) for u in users)
        ProposalEvent.objects.bulk_create(
            ProposalEvent(proposal=proposal, actor=u, actor_party=Party.COMMITTEE, message="Hei")
            for u in users
        )
        Message.objects.bulk_create(
            Message(
                proposal=proposal,
                sender=u,
                party=Party.COMMITTEE if i % 2 else Party.MUNICIPALITY,
                body="Melding",
                answer_by=datetime.date(2030, 1, 1) if i % 3 == 0 else None,
            )
            for i, u in enumerate(users)
        )
        for i in range(2):
            attach(proposal, name=f"vedlegg-{offset}-{i}.pdf")

    grow(10, 0)
    client.force_login(leader)
    with CaptureQueriesContext(connection) as small:
        assert client.get(proposal.get_absolute_url()).status_code == 200
    grow(990, 10)
    assert proposal.supports.count() == 1000 and proposal.messages.count() == 1000
    with CaptureQueriesContext(connection) as large:
        response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    assert "Bruker 999" in response.content.decode()
    assert len(small) == len(large)


def test_detail_query_count_anonymous_does_not_grow(client, committee):
    proposal = ProposalFactory(committee=committee)
    ProposalEvent.objects.bulk_create(
        ProposalEvent(proposal=proposal, message="x") for _ in range(10)
    )
    with CaptureQueriesContext(connection) as small:
        client.get(proposal.get_absolute_url())
    ProposalEvent.objects.bulk_create(
        ProposalEvent(proposal=proposal, message="x") for _ in range(990)
    )
    with CaptureQueriesContext(connection) as large:
        client.get(proposal.get_absolute_url())
    assert len(small) == len(large)


# --- Support --------------------------------------------------------------------------------------


def test_support_anonymous_redirects_to_login(client, proposal):
    response = client.post(url("proposal-support", proposal))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Support.objects.exists()


def test_support_refuses_get(client, proposal, other_resident):
    client.force_login(other_resident)
    assert client.get(url("proposal-support", proposal)).status_code == 405


def test_support_and_withdraw_without_js(client, proposal, other_resident):
    client.force_login(other_resident)
    response = client.post(url("proposal-support", proposal))
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    proposal.refresh_from_db()
    assert proposal.supports_count == 1
    assert Support.objects.filter(proposal=proposal, user=other_resident).exists()
    page = english(client).get(proposal.get_absolute_url()).content.decode()
    assert "You support" in page  # the message and the button state
    assert url("proposal-unsupport", proposal) in page
    client.post(url("proposal-unsupport", proposal))
    proposal.refresh_from_db()
    assert proposal.supports_count == 0
    assert not Support.objects.exists()


def test_support_twice_counts_once(client, proposal, other_resident):
    client.force_login(other_resident)
    client.post(url("proposal-support", proposal))
    client.post(url("proposal-support", proposal))
    proposal.refresh_from_db()
    assert proposal.supports_count == 1


def test_support_with_htmx_returns_the_partial(client, proposal, other_resident):
    client.force_login(other_resident)
    english(client)
    response = htmx(client, "post", url("proposal-support", proposal))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'data-hx-swap="innerHTML"' in body
    assert url("proposal-unsupport", proposal) in body
    assert "<strong>1</strong>" in body
    response = htmx(client, "post", url("proposal-unsupport", proposal))
    body = response.content.decode()
    assert url("proposal-support", proposal) in body
    assert "<strong>0</strong>" in body
    assert not Support.objects.exists()


def test_support_closed_proposal_forbidden(client, committee, other_resident):
    proposal = ProposalFactory(committee=committee, state=State.ACCEPTED)
    client.force_login(other_resident)
    assert client.post(url("proposal-support", proposal)).status_code == 403
    assert not Support.objects.exists()


def test_support_draft_404(client, committee, other_resident):
    draft = ProposalFactory(committee=committee, state=State.DRAFT, reference="NMU-2000-0998")
    client.force_login(other_resident)
    assert client.post(url("proposal-support", draft)).status_code == 404
    assert client.post(url("proposal-follow", draft)).status_code == 404
    assert client.post("/forslag/NMU-1999-0001/stott/").status_code == 404


def test_support_service_refusal_is_shown(client, proposal, other_resident, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("Støttene er stengt nå.")

    monkeypatch.setattr(services, "proposal_support", refuse)
    client.force_login(other_resident)
    response = htmx(client, "post", url("proposal-support", proposal))
    assert response.status_code == 200
    assert "Støttene er stengt nå." in response.content.decode()
    response = client.post(url("proposal-support", proposal), follow=True)
    assert response.status_code == 200
    assert "Støttene er stengt nå." in response.content.decode()
    assert not Support.objects.exists()


def test_support_can_make_a_citizens_proposal(client, proposal, other_resident, settings):
    settings.PROPOSALS = {**settings.PROPOSALS, "CITIZEN_PROPOSAL_MAX_SIGNATURES": 1}
    client.force_login(other_resident)
    client.post(url("proposal-support", proposal))
    proposal.refresh_from_db()
    assert proposal.citizen_proposal_at is not None
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert has(body, "This is a citizens' proposal")


# --- Follow ---------------------------------------------------------------------------------------


def test_follow_anonymous_redirects_to_login(client, proposal):
    response = client.post(url("proposal-follow", proposal))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Follow.objects.exists()


def test_follow_and_unfollow_without_js(client, proposal, other_resident):
    client.force_login(other_resident)
    response = client.post(url("proposal-follow", proposal))
    assert response.status_code == 302
    assert Follow.objects.filter(proposal=proposal, user=other_resident).exists()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert url("proposal-unfollow", proposal) in page
    client.post(url("proposal-unfollow", proposal))
    assert not Follow.objects.filter(user=other_resident).exists()


def test_follow_with_htmx_returns_the_partial(client, proposal, other_resident):
    client.force_login(other_resident)
    response = htmx(client, "post", url("proposal-follow", proposal))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert url("proposal-unfollow", proposal) in body
    response = htmx(client, "post", url("proposal-unfollow", proposal))
    assert url("proposal-follow", proposal) in response.content.decode()
    assert not Follow.objects.exists()


def test_follow_refuses_get(client, proposal, other_resident):
    client.force_login(other_resident)
    assert client.get(url("proposal-follow", proposal)).status_code == 405


# --- Attachments ----------------------------------------------------------------------------------


def test_attachment_download_published(client, proposal):
    attachment = attach(proposal, name="tegning.pdf", content=b"%PDF-1.4 benker")
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 benker"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "tegning.pdf" in response["Content-Disposition"]


def test_attachment_of_draft_only_for_author(client, draft, resident, other_resident):
    attachment = attach(draft, name="utkast.pdf")
    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.force_login(other_resident)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.force_login(resident)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_attachment_unknown_or_missing_file_404(client, proposal):
    assert client.get(reverse("proposals:attachment-download", args=[999999])).status_code == 404
    attachment = attach(proposal)
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_attachment_name_with_markup_is_safe_in_header(client, proposal):
    attachment = attach(proposal, name=f'a"b\r\n{XSS}.pdf')
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert "\n" not in response["Content-Disposition"]


# --- Min side → My proposals ----------------------------------------------------------------------

MY_URL = reverse("proposals:my-proposals")


def test_my_proposals_anonymous_redirects_to_login(client, db):
    response = client.get(MY_URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_my_proposals_own_drafts_and_followed(client, committee, resident, proposal, draft):
    draft.title = "Mitt utkast"
    draft.save()
    followed = ProposalFactory(committee=committee, title="Naboens forslag")
    Follow.objects.create(proposal=followed, user=resident)
    ProposalFactory(committee=committee, title="Ukjent forslag")
    client.force_login(resident)
    response = english(client).get(MY_URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mitt utkast" in body
    assert reverse("proposals:draft-preview", args=[draft.pk]) in body
    assert "Benker ved stranda" in body
    assert "Naboens forslag" in body and followed.get_absolute_url() in body
    assert "Ukjent forslag" not in body
    assert 'aria-current="page">My proposals' in body


def test_my_proposals_outsider_sees_only_own(client, proposal, draft, other_resident):
    client.force_login(other_resident)
    body = english(client).get(MY_URL).content.decode()
    assert "Benker ved stranda" not in body
    assert "You have not written a proposal yet." in body


# --- Navigation and the committee page ------------------------------------------------------------


def test_main_nav_links_to_proposals(client, db):
    assert f'href="{LIST_URL}"' in client.get(reverse("home")).content.decode()


def test_committee_page_lists_its_proposals(client, committee, proposal, other_committee):
    ProposalFactory(committee=other_committee, title="Annet utvalg")
    body = client.get(committee.get_absolute_url()).content.decode()
    assert "Benker ved stranda" in body
    assert "Annet utvalg" not in body
    assert f"{LIST_URL}?utvalg=svarstad" in body
    assert reverse("proposals:committee-inbox", args=["svarstad"]) not in body


def test_committee_page_inbox_link_for_board(client, committee, board_member, other_resident):
    inbox = reverse("proposals:committee-inbox", args=["svarstad"])
    client.force_login(other_resident)
    assert inbox not in client.get(committee.get_absolute_url()).content.decode()
    client.force_login(board_member)
    assert inbox in client.get(committee.get_absolute_url()).content.decode()


def test_committee_page_write_link_preselects_the_committee(client, committee):
    body = english(client).get(committee.get_absolute_url()).content.decode()
    create = reverse("proposals:proposal-create")
    assert f'href="{create}?utvalg=svarstad">Write a proposal</a>' in body


def test_committee_page_board_sees_inbox_with_waiting_count_near_the_top(
    client, committee, other_committee, board_member
):
    from tests.factories import CommitteeFactory

    child = CommitteeFactory(name="Svarstad sentrum", slug="svarstad-sentrum", parent=committee)
    for state in (State.SUBMITTED, State.COMMITTEE_REVIEW, State.INFO_REQUESTED):
        ProposalFactory(committee=committee, state=state)
    for state in (State.FORWARDED, State.DECLINED, State.IN_REVIEW):
        ProposalFactory(committee=committee, state=state)
    ProposalFactory(committee=child, state=State.SUBMITTED)  # the sub-committee's own inbox
    ProposalFactory(committee=other_committee, state=State.SUBMITTED)
    inbox = reverse("proposals:committee-inbox", args=["svarstad"])
    client.force_login(board_member)
    body = english(client).get(committee.get_absolute_url()).content.decode()
    assert "<strong>3</strong> proposals are waiting for the committee." in body
    assert has(body, f'href="{inbox}">The board\'s inbox</a>')
    assert body.index(inbox) < body.index('id="about-heading"')
    assert body.count(inbox) == 1


def test_committee_page_board_inbox_when_nothing_waits(client, committee, board_member):
    ProposalFactory(committee=committee, state=State.FORWARDED)
    client.force_login(board_member)
    body = english(client).get(committee.get_absolute_url()).content.decode()
    assert "No proposals are waiting for the committee." in body


def test_committee_page_inbox_count_is_one_query_that_does_not_grow(
    client, committee, board_member, other_resident, resident, monkeypatch
):
    # The proposals' own sections only: other apps give the board sections of their own
    # (agreements, grants, the annual report), each with its own query-count test.
    from committees.sections import committee_page

    monkeypatch.setattr(
        committee_page,
        "_sections",
        [s for s in committee_page._sections if s.template_name.startswith("proposals/")],
    )

    def count(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(committee.get_absolute_url()).status_code == 200
        return len(ctx)

    ProposalFactory(committee=committee, state=State.SUBMITTED)
    outsider, board = count(other_resident), count(board_member)
    assert board == outsider + 1  # the count, and only for the board
    Proposal.objects.bulk_create(
        ProposalFactory.build(
            committee=committee,
            author=resident,
            state=State.SUBMITTED,
            reference=f"NMU-2002-{n:04d}",
        )
        for n in range(200)
    )
    assert count(board_member) == board
    assert (
        "<strong>201</strong>" in english(client).get(committee.get_absolute_url()).content.decode()
    )


# --- Review fixes ---------------------------------------------------------------------------------


def test_detail_timeline_keeps_the_question_and_its_answer_for_the_parties(
    client, committee, author, leader, case_handler, resident
):
    """A request for information is a line of the dialogue: its text (and the committee's
    answer) is not on the public timeline; the parties read both in the dialogue."""
    proposal = ProposalFactory(committee=committee, author=author, state=State.IN_REVIEW)
    services.proposal_transition(
        proposal=proposal, actor=case_handler, to_state=State.INFO_REQUESTED, message="Spørsmål X"
    )
    services.proposal_transition(
        proposal=proposal, actor=leader, to_state=State.IN_REVIEW, message="Svar Y"
    )
    body = english(client).get(proposal.get_absolute_url()).content.decode()
    assert "More information requested" in body  # the step itself is public
    assert "Spørsmål X" not in body and "Svar Y" not in body
    client.force_login(resident)
    body = client.get(proposal.get_absolute_url()).content.decode()
    assert "Spørsmål X" not in body and "Svar Y" not in body
    for party in (author, leader, case_handler):
        client.force_login(party)
        body = client.get(proposal.get_absolute_url()).content.decode()
        assert "Spørsmål X" in body and "Svar Y" in body


def test_list_row_does_not_show_a_message_deadline(client, committee, author, case_handler):
    """The deadline a message sets belongs to the dialogue; the list shows the public ones."""
    proposal = ProposalFactory(
        committee=committee,
        author=author,
        state=State.IN_REVIEW,
        decision_due=datetime.date(2099, 6, 30),
        first_response_at=timezone.now(),
    )
    services.message_send(
        proposal=proposal,
        actor=case_handler,
        body="Kan dere svare?",
        answer_by=datetime.date(2099, 1, 15),
    )
    proposal.refresh_from_db()
    assert proposal.next_due == datetime.date(2099, 1, 15)  # the review queue still sees it
    for page in (LIST_URL, reverse("home")):
        body = english(client).get(page).content.decode()
        assert "15.01.2099" not in body
        assert "30.06.2099" in body
