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
import re
from html import unescape as html_unescape
from typing import Any
from urllib.parse import urlencode

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["LOAD_DATA"]) as data_file:
    DATA: dict[str, Any] = json.load(data_file)
SIZES = DATA["sizes"]
WAIT = between(0.1, 0.5)
# A nurse records an infusion's usual readings (every 15 minutes in the first hour, then every 30 to 60: about
# a dozen) and moves on to the next infusion; a family posts a few diary entries. Every simulated nurse takes
# the next infusion and follow-up from the run's own (bench/load.py makes a fresh set each run).
READINGS_PER_INFUSION = 12
ENTRIES_PER_DIARY = 3
LOOKBACK_ALONE = "lookback page alone"
_sessions = itertools.cycle(DATA["sessions"])
_follow_ups = itertools.cycle(DATA["follow_ups"])


_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_ACTION = re.compile(r"\baction=\"([^\"]*)\"")
_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTR = re.compile(r"([a-z_-]+)=\"([^\"]*)\"")


def hidden_fields(html: str, action: str, page: str) -> dict[str, str]:
    """The hidden fields of the form posting to `action` (a form with no action posts to its page).

    Read with regular expressions, not an HTML parser: the load generator shares the 2 cores with the
    server, and what it spends on parsing pages is taken from the server."""
    for form in _FORM.finditer(html):
        found = _ACTION.search(form.group(1))
        if ((html_unescape(found.group(1)) if found else "") or page) != action:
            continue
        fields = {}
        for tag in _INPUT.findall(form.group(2)):
            attrs = dict(_ATTR.findall(tag))
            if attrs.get("type") == "hidden" and "name" in attrs:
                fields[attrs["name"]] = html_unescape(attrs.get("value", ""))
        if "csrfmiddlewaretoken" in fields:
            return fields
    raise LookupError(f"no form posting to {action}")


def patient_query(rng: random.Random) -> str:
    """A family name of the generated history (about 20 patients each at full scale) or an MRN."""
    if rng.random() < 0.5:
        return f"Family{rng.randrange(min(4999, SIZES['patients']))}"
    return f"B{rng.randrange(1, SIZES['patients'] + 1):07d}"


class Reader(FastHttpUser):
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
        self.client.get("/patients/?" + urlencode({"q": patient_query(self.rng)}), name="patient search")

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
        self.session, self.readings = next(_sessions), 0
        self.follow_up, self.entries = next(_follow_ups), 0

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
                return
        self.readings += 1
        if self.readings >= READINGS_PER_INFUSION:
            self.session, self.readings = next(_sessions), 0

    @task(1)
    def diary_post(self) -> None:
        values = {"temp": "37.1", "temp_unit": "C", "notes": f"load entry {self.rng.random():.12f}"}
        page = f"/follow-up/{self.follow_up}/diary/"
        self.post_form(page, page, values, "diary post")
        self.entries += 1
        if self.entries >= ENTRIES_PER_DIARY:
            self.follow_up, self.entries = next(_follow_ups), 0

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
        self.client.get("/hemovigilance/lookback/?" + urlencode({"lot": lot}), name="lookback page")

    @task(1)
    def search(self) -> None:
        self.search_patients()


class LookbackAlone(SignedIn):
    """The lookback page on its own (bench/load.py's second, short run: one user, no mix around it)."""

    role = "Quality"

    @task
    def lookback(self) -> None:
        lot = f"BL{self.rng.randrange(1, SIZES['lots'] + 1):06d}"
        self.client.get("/hemovigilance/lookback/?" + urlencode({"lot": lot}), name=LOOKBACK_ALONE)


class FhirClient(FastHttpUser):
    weight = 1
    wait_time = WAIT
    default_headers = {"Authorization": f"Bearer {DATA['token']}", "Accept": "application/fhir+json"}

    def on_start(self) -> None:
        self.rng = random.Random()

    @task(2)
    def patient_requests(self) -> None:
        patient = self.rng.randrange(1, SIZES["patients"] + 1)
        self.client.get("/fhir/MedicationRequest?" + urlencode({"patient": patient}), name="FHIR search")

    @task(2)
    def patient_administrations(self) -> None:
        patient = self.rng.randrange(1, SIZES["patients"] + 1)
        self.client.get(
            "/fhir/MedicationAdministration?" + urlencode({"patient": patient}), name="FHIR search"
        )

    @task(1)
    def lot_search(self) -> None:
        lot = f"BL{self.rng.randrange(1, SIZES['lots'] + 1):06d}"
        params = {"lot": lot, "_count": "20"}
        self.client.get("/fhir/MedicationDispense?" + urlencode(params), name="FHIR lot search")


def _input_value(html: str, name: str) -> str:
    for tag in _INPUT.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("name") == name:
            return html_unescape(attrs.get("value", ""))
    return ""
