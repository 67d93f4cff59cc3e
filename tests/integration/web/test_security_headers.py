"""Pages carry a strict Content-Security-Policy and contain no inline scripts or styles."""

from __future__ import annotations

import re

from django.urls import reverse


def test_it_sends_security_headers(client, db):
    response = client.get(reverse("accounts:login"))

    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_it_has_no_inline_scripts_or_styles(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    client.force_login(nurse)

    for url in [
        reverse("web:home"),
        reverse("patients:list"),
        reverse("patients:detail", args=[patient.pk]),
        reverse("patients:create"),
    ]:
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts and all("src=" in tag for tag in scripts), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"<style\b", html), url
        assert re.search(r"\son[a-z]+=", html) is None, url
        assert "/static/ivig/js/htmx.min.js" in html


def test_it_serves_the_vendored_htmx(client):
    from django.contrib.staticfiles import finders

    assert finders.find("ivig/js/htmx.min.js")


def test_it_relaxes_the_policy_only_for_the_admin(admin_client):
    csp = admin_client.get("/admin/").headers["Content-Security-Policy"]

    assert "'unsafe-inline'" in csp
    assert "frame-ancestors 'none'" in csp


def test_it_keeps_the_other_headers(client, db):
    response = client.get("/fhir/metadata")

    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Permissions-Policy"].startswith("camera=(self)")
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
