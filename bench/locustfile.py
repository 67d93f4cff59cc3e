"""The load mix for bench/load.py (run by locust in its own process; never import it into Django).

Each simulated user signs in once through the real login form (CSRF), then works: nurses open their own
infusion's flowsheet and save vital signs, open the follow-up's diary and post an entry; pharmacists work
the order worklist and order pages; quality runs lot lookbacks; an API client searches FHIR with a token;
everyone searches patients. Every post carries the page's CSRF token and one-time form token, so it is a
real save (the answer must be the redirect a save gives, not the form again with errors).

LOAD_DATA names the JSON file bench/load.py wrote (users, password, sessions, follow-ups, token, sizes).
"""

from __future__ import annotations

import itertools
import json
import os
import random
from html.parser import HTMLParser
from typing import Any

from locust import HttpUser, between, task

with open(os.environ["LOAD_DATA"]) as data_file:
    DATA: dict[str, Any] = json.load(data_file)
SIZES = DATA["sizes"]
WAIT = between(0.1, 0.5)
_nurse_numbers = itertools.count()


class Forms(HTMLParser):
    """The page's forms: action -> their hidden fields (CSRF, one-time token, version)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._action: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._action = values.get("action", "")
            self.forms.setdefault(self._action, {})
        elif tag == "input" and self._action is not None and values.get("type") == "hidden":
            self.forms[self._action][values.get("name", "")] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._action = None


def hidden_fields(html: str, action: str, page: str) -> dict[str, str]:
    """The hidden fields of the form posting to `action` (a form with no action posts to its page)."""
    parser = Forms()
    parser.feed(html)
    for form_action, fields in parser.forms.items():
        if (form_action or page) == action and "csrfmiddlewaretoken" in fields:
            return fields
    raise LookupError(f"no form posting to {action}")


def patient_query(rng: random.Random) -> str:
    """A family name of the generated history (about 20 patients each at full scale) or an MRN."""
    if rng.random() < 0.5:
        return f"Family{rng.randrange(min(4999, SIZES['patients']))}"
    return f"B{rng.randrange(1, SIZES['patients'] + 1):07d}"


class Reader(HttpUser):
    abstract = True
    wait_time = WAIT
    page_text = ""

    def read_form(self, page: str, action: str, name: str) -> dict[str, str] | None:
        """GET the page and return the hidden fields of its form to `action`; None (a failure) if absent."""
        with self.client.get(page, name=name, catch_response=True) as answer:
            self.page_text = answer.text or ""
            try:
                return hidden_fields(self.page_text, action, page)
            except LookupError as missing:
                answer.failure(str(missing))
                return None


class SignedIn(Reader):
    abstract = True
    wait_time = WAIT
    role = ""

    def on_start(self) -> None:
        self.rng = random.Random()
        fields = self.read_form("/accounts/login/", "/accounts/login/", "login form")
        if fields is None:
            return
        fields |= {"username": DATA["users"][self.role], "password": DATA["password"]}
        with self.client.post(
            "/accounts/login/", data=fields, name="login", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in failed ({answer.status_code})")

    def search_patients(self) -> None:
        self.client.get("/patients/", params={"q": patient_query(self.rng)}, name="patient search")

    def post_form(self, page: str, action: str, values: dict[str, str], name: str) -> None:
        """Read the page, post its form with the page's hidden fields: a save answers with a redirect."""
        fields = self.read_form(page, action, name.replace("save", "page").replace("post", "page"))
        if fields is None:
            return
        with self.client.post(
            action, data=fields | values, name=name, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code not in (302, 303) or "/accounts/login/" in answer.headers.get(
                "Location", ""
            ):
                answer.failure(f"not saved ({answer.status_code})")


class Nurse(SignedIn):
    weight = 3
    role = "Nurse"

    def on_start(self) -> None:
        super().on_start()
        number = next(_nurse_numbers)
        self.session = DATA["sessions"][number % len(DATA["sessions"])]
        self.follow_up = DATA["follow_ups"][number % len(DATA["follow_ups"])]

    @task(4)
    def flowsheet_save(self) -> None:
        values = {
            "temperature": f"{self.rng.uniform(36.5, 37.4):.1f}",
            "temperature_unit": "C",
            "heart_rate": str(self.rng.randint(70, 110)),
            "systolic": str(self.rng.randint(95, 120)),
            "diastolic": str(self.rng.randint(55, 75)),
            "respiratory_rate": str(self.rng.randint(16, 24)),
            "spo2": str(self.rng.randint(96, 100)),
        }
        action = f"/infusions/{self.session}/vitals/"
        fields = self.read_form(f"/infusions/{self.session}/", action, "flowsheet page")
        if fields is None:
            return
        taken_at = _input_value(self.page_text, "taken_at")
        with self.client.post(
            action,
            data=fields | values | {"taken_at": taken_at},
            name="flowsheet save",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code not in (302, 303):
                answer.failure(f"vitals not saved ({answer.status_code})")

    @task(1)
    def diary_post(self) -> None:
        values = {"temp": "37.1", "temp_unit": "C", "notes": f"load entry {self.rng.random():.12f}"}
        page = f"/follow-up/{self.follow_up}/diary/"
        self.post_form(page, page, values, "diary post")

    @task(2)
    def worklists(self) -> None:
        self.client.get("/infusions/", name="infusion worklist")
        self.client.get("/follow-up/", name="follow-up worklist")

    @task(3)
    def search(self) -> None:
        self.search_patients()


class Pharmacist(SignedIn):
    weight = 2
    role = "Pharmacist"

    @task(3)
    def worklist(self) -> None:
        self.client.get("/orders/", name="order worklist")

    @task(3)
    def order_page(self) -> None:
        self.client.get(f"/orders/{self.rng.choice(DATA['orders'])}/", name="order page")

    @task(1)
    def history_order_page(self) -> None:
        self.client.get(f"/orders/{self.rng.randrange(1, SIZES['orders'] + 1)}/", name="order page (history)")

    @task(3)
    def search(self) -> None:
        self.search_patients()

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="home")


class Quality(SignedIn):
    weight = 1
    role = "Quality"

    @task(4)
    def lookback(self) -> None:
        lot = f"BL{self.rng.randrange(1, SIZES['lots'] + 1):06d}"
        self.client.get("/hemovigilance/lookback/", params={"lot": lot}, name="lookback page")

    @task(1)
    def search(self) -> None:
        self.search_patients()


class FhirClient(HttpUser):
    weight = 1
    wait_time = WAIT

    def on_start(self) -> None:
        self.rng = random.Random()
        self.client.headers["Authorization"] = f"Bearer {DATA['token']}"
        self.client.headers["Accept"] = "application/fhir+json"

    @task(2)
    def patient_requests(self) -> None:
        patient = self.rng.randrange(1, SIZES["patients"] + 1)
        self.client.get("/fhir/MedicationRequest", params={"patient": patient}, name="FHIR search")

    @task(2)
    def patient_administrations(self) -> None:
        patient = self.rng.randrange(1, SIZES["patients"] + 1)
        self.client.get("/fhir/MedicationAdministration", params={"patient": patient}, name="FHIR search")

    @task(1)
    def lot_search(self) -> None:
        lot = f"BL{self.rng.randrange(1, SIZES['lots'] + 1):06d}"
        params = {"lot": lot, "_count": "20"}
        self.client.get("/fhir/MedicationDispense", params=params, name="FHIR lot search")


def _input_value(html: str, name: str) -> str:
    class One(HTMLParser):
        value = ""

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = {key: value or "" for key, value in attrs}
            if tag == "input" and values.get("name") == name:
                One.value = values.get("value", "")

    parser = One()
    parser.feed(html)
    return One.value
