"""A scheduler or Admin loads a site's own travel-time matrix (CSV, JSON or an OSRM table); a bad file is
refused with where it is wrong; the routes then use the matrix's times for the places it lists."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.drivers.home_routes import optimise, stored_routes_pass_the_checker
from tests.plugins.home_routes import BASES, HOMES

pytestmark = pytest.mark.django_db

PLACES = [(float(lat), float(lon)) for lat, lon in BASES] + [
    (float(lat), float(lon)) for _, lat, lon in HOMES
]


def _csv(minutes=lambda i, j: 7 + i + j, skip=None):
    lines = ["from_lat,from_lon,to_lat,to_lon,minutes"]
    for i, a in enumerate(PLACES):
        for j, b in enumerate(PLACES):
            if i != j and (i, j) != skip:
                lines.append(f"{a[0]},{a[1]},{b[0]},{b[1]},{minutes(i, j)}")
    return "\n".join(lines).encode()


def _upload(client, name, data, title="Town matrix 2026-12"):
    return client.post(
        reverse("scheduling:travel"), {"name": title, "file": SimpleUploadedFile(name, data)}, follow=True
    )


def test_it_loads_a_csv_and_plans_routes_with_its_times(home_team, client):
    from ivig.audit.models import AuditEvent
    from ivig.scheduling.models import HomeRoute, RouteStop, TravelMatrix

    client.force_login(home_team.scheduler)

    response = _upload(client, "matrix.csv", _csv(minutes=lambda i, j: 11))
    plan = optimise(home_team)

    assert "loaded: 6 places" in response.content.decode()
    assert TravelMatrix.objects.get(active=True).minutes[0][1] == 11
    assert plan.travel_source == "loaded matrix “Town matrix 2026-12”"
    assert {s.travel_min for s in RouteStop.objects.all()} == {11}
    assert all(r.distance_km is None for r in HomeRoute.objects.all())  # no km from a matrix of times
    assert stored_routes_pass_the_checker(home_team.day) == []
    assert AuditEvent.objects.filter(action="travel_matrix.load").exists()


def test_it_reads_an_osrm_table_in_seconds_and_lon_lat_order(home_team, client):
    from ivig.scheduling.models import TravelMatrix

    client.force_login(home_team.scheduler)
    osrm = {
        "code": "Ok",
        "durations": [[0 if i == j else 61 for j in range(len(PLACES))] for i in range(len(PLACES))],
        "sources": [{"location": [lon, lat]} for lat, lon in PLACES],
        "destinations": [{"location": [lon, lat]} for lat, lon in PLACES],
    }

    _upload(client, "table.json", json.dumps(osrm).encode())

    loaded = TravelMatrix.objects.get(active=True)
    assert loaded.points[0] == [PLACES[0][0], PLACES[0][1]]
    assert loaded.minutes[0][1] == 2  # 61 s is rounded up to 2 min


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("m.txt", b"x", "Upload a .csv or a .json file."),
        ("m.csv", b"a,b\n", "Line 1 must be the header"),
        ("m.csv", b"from_lat,from_lon,to_lat,to_lon,minutes\n45.5,-73.5,45.6,-73.6,-4\n", "Line 2"),
        ("m.csv", b"from_lat,from_lon,to_lat,to_lon,minutes\n95,-73.5,45.6,-73.6,4\n", "outside -90 to 90"),
        ("m.json", b"{nope", "Not JSON: line 1"),
        ("m.json", b'{"points": [[45.5, -73.5], [45.6, -73.6]], "minutes": [[0, 5], [5]]}', "must be square"),
        ("m.json", b'{"points": [[45.5, -73.5], [45.6, -73.6]], "minutes": [[3, 5], [5, 0]]}', "to itself"),
    ],
)
def test_it_refuses_a_bad_file_and_says_where(home_team, client, name, data, message):
    from ivig.scheduling.models import TravelMatrix

    client.force_login(home_team.scheduler)

    response = _upload(client, name, data)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not TravelMatrix.objects.exists()


def test_it_names_a_missing_pair(home_team, client):
    client.force_login(home_team.scheduler)

    response = _upload(client, "matrix.csv", _csv(skip=(0, 1)))

    assert "1 pair(s) of places have no time" in response.content.decode()


def test_it_falls_back_to_the_estimate_when_the_matrix_lacks_a_place_and_says_so(home_team, client):
    from ivig.patients.models import Patient

    client.force_login(home_team.scheduler)
    _upload(client, "matrix.csv", _csv())
    Patient.objects.filter(pk=home_team.visits[0].patient_id).update(home_latitude="45.600000")

    plan = optimise(home_team)

    assert plan.travel_source.startswith("estimate:") and "lacks a place" in plan.travel_source


def test_it_stops_using_a_matrix(home_team, client):
    from ivig.scheduling.models import TravelMatrix

    client.force_login(home_team.scheduler)
    _upload(client, "matrix.csv", _csv())

    response = client.post(reverse("scheduling:travel"), {"stop": "yes"}, follow=True)

    assert "estimate again" in response.content.decode()
    assert not TravelMatrix.objects.filter(active=True).exists()


@pytest.mark.parametrize(
    ("role", "status"), [("Admin", 200), ("Scheduler", 200), ("Nurse", 403), ("Quality", 403)]
)
def test_it_lets_only_schedulers_and_admins_load_a_matrix(home_team, client, make_user, role, status):
    client.force_login(make_user(role, username=f"x-{role.lower()}"))

    assert client.get(reverse("scheduling:travel")).status_code == status
