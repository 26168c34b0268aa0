"""The admin's "Import population figures" page: who may (a case handler who may add and change
figures), the check (a dry run: the report per row, nothing written), the import of the checked
text, a refused file (no import button, and a forged import writes nothing), the size limit, a
NUL byte, and the page's queries, which do not grow with the file's rows."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.staff import HANDLE_CASES
from grants.models import PopulationFigure
from grants.services.figures import population_import
from tests.factories import DepartmentStaffFactory, PopulationFigureFactory

pytestmark = pytest.mark.django_db

FIGURES = reverse("admin:grants_populationfigure_changelist")
IMPORT = reverse("admin:grants_populationfigure_import")
HEADER = "committee,reference_date,age_from,age_to,residents,residents_in_range,source\n"
SSB = "SSB, befolkning etter grunnkrets"


def csv(*rows: str) -> str:
    return HEADER + "".join(f"{row}\n" for row in rows)


def upload(text: str | bytes, name: str = "befolkning.csv") -> SimpleUploadedFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def login(client, user):
    client.cookies["nmu_language"] = "en"
    client.force_login(user)
    return client


def check(client, text):
    return client.post(IMPORT, {"file": upload(text)})


def outcomes(response) -> list[str]:
    table = re.search(r'<table id="import-report">.*?</table>', response.content.decode(), re.S)
    return re.findall(r'data-outcome="(\w+)"', table.group(0)) if table else []


@pytest.fixture
def handler(client, case_handler):
    return login(client, case_handler)


@pytest.fixture
def three_rows(committee, other_committee):
    """A file whose rows are changed (250 → 260), unchanged and new."""
    PopulationFigureFactory(
        committee=committee, residents=1_100, residents_in_range=250, source=SSB
    )
    PopulationFigureFactory(
        committee=other_committee, residents=6_000, residents_in_range=1_150, source=SSB
    )
    return csv(
        f'svarstad,2023-01-01,0,19,1100,260,"{SSB}"',
        f'stavern,01.01.2023,0,19,6000,1150,"{SSB}"',
        f'stavern,2024-01-01,0,19,6100,1170,"{SSB}"',
    )


def test_who_may_import(client, staff_without_group, case_handler, committee):
    # Anonymous: the admin's login page.
    response = client.get(IMPORT)
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    # Staff without the figures' permissions: 403, and the file is not even checked.
    login(client, staff_without_group)
    assert client.get(IMPORT).status_code == 403
    assert (
        client.post(IMPORT, {"file": upload(csv("svarstad,2023-01-01,0,19,1,1,SSB"))}).status_code
        == 403
    )
    # A case handler who may add and change figures: the page, and the list's button to it.
    login(client, case_handler)
    page = client.get(IMPORT)
    assert page.status_code == 200
    assert 'id="population-import-form"' in page.content.decode()
    listing = client.get(FIGURES).content.decode()
    assert f'href="{IMPORT}" id="import-figures-link"' in listing


def test_both_permissions_are_needed(client):
    """Staff who handle cases and may change figures but not add them: no page, no button."""
    user = DepartmentStaffFactory(user__email="half@larvik.kommune.no").user
    app_label, codename = HANDLE_CASES.split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename),
        *Permission.objects.filter(
            content_type__app_label="grants",
            codename__in=["view_populationfigure", "change_populationfigure"],
        ),
    )
    login(client, user)
    assert client.get(IMPORT).status_code == 403
    listing = client.get(FIGURES)
    assert listing.status_code == 200
    assert "import-figures-link" not in listing.content.decode()


def test_the_check_reports_each_row_and_writes_nothing(handler, three_rows):
    response = check(handler, three_rows)
    assert response.status_code == 200
    html = response.content.decode()
    assert outcomes(response) == ["changed", "unchanged", "new"]
    assert "svarstad 2023-01-01 0–19" in html
    assert "residents_in_range 250 → 260" in html
    assert "1 new, 1 changed, 1 unchanged, 0 refused." in html
    # What it writes: the new and the changed figure (the unchanged one writes nothing).
    assert re.search(r'id="confirm-import" value="Import 2 new or changed figures"', html)
    assert "Nothing can be imported" not in html
    # The confirm form holds the checked text.
    assert response.context["confirm"].initial["text"] == three_rows
    assert PopulationFigure.objects.count() == 2
    assert PopulationFigure.objects.get(committee__slug="svarstad").residents_in_range == 250


def test_the_checked_text_is_imported(handler, three_rows):
    response = handler.post(IMPORT, {"text": three_rows}, follow=True)
    assert response.redirect_chain == [(FIGURES, 302)]
    assert "1 new, 1 changed, 1 unchanged" in response.content.decode()
    assert PopulationFigure.objects.count() == 3
    assert PopulationFigure.objects.get(committee__slug="svarstad").residents_in_range == 260


def test_a_refused_file_cannot_be_imported(handler, committee):
    text = csv(f"svarstad,2023-01-01,0,19,1100,260,{SSB}", "hvarnes,2023-01-01,0,19,100,10,SSB")
    # (Unquoted, the source's comma makes an extra cell: the first row is refused too.)
    response = check(handler, text)
    assert response.status_code == 200
    html = response.content.decode()
    assert outcomes(response) == ["refused", "refused"]
    assert "more cells than the header" in html and "Unknown committee: “hvarnes”." in html
    assert "0 new, 0 changed, 0 unchanged, 2 refused." in html
    assert "Nothing can be imported until the refused rows are fixed." in html
    assert 'id="confirm-import"' not in html and response.context["confirm"] is None
    assert not PopulationFigure.objects.exists()


def test_a_forged_import_of_a_bad_text_writes_nothing(handler, committee):
    text = csv("svarstad,2023-01-01,0,19,1100,260,SSB", "hvarnes,2023-01-01,0,19,100,10,SSB")
    response = handler.post(IMPORT, {"text": text})
    assert response.status_code == 200
    assert outcomes(response) == ["new", "refused"]
    assert "Nothing can be imported until the refused rows are fixed." in response.content.decode()
    assert 'id="confirm-import"' not in response.content.decode()
    assert not PopulationFigure.objects.exists()
    # No text, or one with a NUL byte: the form again, 400, nothing written.
    for forged in ("", csv("svarstad,2023-01-01,0,19,1100,260,SS\x00B")):
        response = handler.post(IMPORT, {"text": forged})
        assert response.status_code == 400
        assert 'id="confirm-errors"' in response.content.decode()
        assert 'id="population-import-form"' in response.content.decode()
    assert not PopulationFigure.objects.exists()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\xff\xfe not utf-8", "The file is not UTF-8 text."),
        (b"committee,reference_date,residents\nsvarstad,2023-01-01,5\n", "Columns missing"),
    ],
)
def test_a_bad_file_shows_the_services_problems(handler, committee, data, problem):
    response = check(handler, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert problem in html
    assert "Nothing can be imported until the file is fixed." in html
    assert 'id="confirm-import"' not in html


def test_a_file_too_big_is_refused(handler, committee, monkeypatch):
    monkeypatch.setattr("grants.services.figures.MAX_BYTES", 1024 * 1024)
    row = f"svarstad,2023-01-01,0,19,1100,260,{'x' * 100}\n"
    text = csv() + row * (1024 * 1024 // len(row) + 1)
    response = check(handler, text)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is larger than 1 MB."]
    assert response.context["report"] is None
    # The same text posted as the checked text: refused by the service, nothing written.
    response = handler.post(IMPORT, {"text": text})
    assert response.status_code == 200
    assert "The file is larger than 1 MB." in response.content.decode()
    assert not PopulationFigure.objects.exists()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "row",
    ["sv\x00arstad,2023-01-01,0,19,1100,260,SSB", "svarstad,2023-01-01,0,19,1100,260,SS\x00B"],
)
def test_a_nul_byte_is_a_refused_row_not_an_error(handler, committee, row):
    response = check(handler, csv(row))
    assert response.status_code == 200
    assert outcomes(response) == ["refused"]
    assert "The row holds a NUL byte." in response.content.decode()
    # The service itself, as the command calls it (PostgreSQL refuses NUL in a query).
    assert population_import(data=csv(row)).rows[0].problems == ["The row holds a NUL byte."]


def test_the_checks_queries_do_not_grow_with_the_rows(handler, committee, other_committee):
    def rows(count: int) -> str:
        return csv(
            *(
                f"{slug},2023-01-01,{age},{age},100,10,SSB"
                for age in range(count // 2)
                for slug in ("svarstad", "stavern")
            )
        )

    PopulationFigureFactory(committee=committee, age_from=0, age_to=0, residents_in_range=9)
    counted = []
    for count in (10, 200):
        text = rows(count)
        with CaptureQueriesContext(connection) as queries:
            response = check(handler, text)
        assert response.status_code == 200
        assert len(outcomes(response)) == count
        counted.append(len(queries))
    assert counted[0] == counted[1], counted


def test_the_file_limit_fits_in_the_confirm_post():
    """The checked text comes back as a form field: a file the check accepts must fit in what
    Django accepts in a posted form, or the import fails with a bare 400."""
    from django.conf import settings

    from grants.services.figures import MAX_BYTES

    assert MAX_BYTES < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_a_file_that_changes_nothing_offers_no_import(handler, three_rows):
    """Checked again once imported, the file would write nothing: no button for it."""
    from grants.services.figures import population_import

    population_import(data=three_rows, dry_run=False)
    html = check(handler, three_rows).content.decode()
    assert 'id="import-nothing"' in html and 'id="confirm-import"' not in html


def test_the_help_says_the_committee_column_is_the_short_name(handler):
    html = handler.get(IMPORT).content.decode()
    assert "svarstad for /nmu/svarstad/" in html
