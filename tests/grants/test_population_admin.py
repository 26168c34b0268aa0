"""Population figures in the admin: the list with its filters and search, a figure entered
through the service (bad numbers give the form back), who may, and the export."""

import datetime

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from grants.models import PopulationFigure
from tests.factories import PopulationFigureFactory

pytestmark = pytest.mark.django_db

FIGURES = reverse("admin:grants_populationfigure_changelist")
ADD = reverse("admin:grants_populationfigure_add")


def login(client, user):
    client.cookies["nmu_language"] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def figures(committee, other_committee):
    return [
        PopulationFigureFactory(committee=committee, residents_in_range=260),
        PopulationFigureFactory(
            committee=other_committee,
            residents_in_range=1_150,
            reference_date=datetime.date(2024, 1, 1),
        ),
    ]


def test_who_sees_the_figures(client, figures, resident, staff_without_group, case_handler):
    assert client.get(FIGURES).status_code == 302
    login(client, resident)
    assert client.get(FIGURES).status_code == 302
    login(client, staff_without_group)
    assert client.get(FIGURES).status_code == 403
    login(client, case_handler)
    assert client.get(FIGURES).status_code == 200


def test_the_filters_and_search(client, figures, case_handler, other_committee):
    login(client, case_handler)

    def listed(**query):
        response = client.get(FIGURES, query)
        assert response.status_code == 200
        return [f.committee.name for f in response.context["cl"].result_list]

    assert sorted(listed()) == ["Stavern", "Svarstad"]
    assert listed(reference_date="2024-01-01") == ["Stavern"]
    assert listed(reference_date="not-a-date") == []
    assert listed(committee__id__exact=str(other_committee.pk)) == ["Stavern"]
    assert listed(q="Svarstad") == ["Svarstad"]


def test_a_figure_is_entered_through_the_service(client, case_handler, committee):
    login(client, case_handler)
    data = {
        "committee": str(committee.pk),
        "reference_date": "2025-01-01",
        "age_from": "0",
        "age_to": "19",
        "residents": "1100",
        "residents_in_range": "260",
        "source": "SSB",
        "_save": "Save",
    }
    assert client.post(ADD, data).status_code == 302
    assert PopulationFigure.objects.get().residents_in_range == 260
    data.update(reference_date="2026-01-01", residents_in_range="2000")
    again = client.post(ADD, data)
    assert again.status_code == 200
    assert "Cannot be more than the residents in all." in again.content.decode()
    assert PopulationFigure.objects.count() == 1


def test_the_figures_export(client, case_handler, figures):
    login(client, case_handler)
    response = client.post(
        FIGURES,
        {
            "action": "export_figures_csv",
            helpers.ACTION_CHECKBOX_NAME: [str(f.pk) for f in figures],
        },
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    assert "Residents in the age range" in text
    assert "svarstad;2023-01-01;0;19;4000;260" in text
