"""Content negotiation: this server speaks FHIR JSON only, so a client that will take only XML (or another
format) is told so with 406 Not Acceptable (FHIR R4 http.html#mime-type), never sent JSON it cannot read.

``_format`` wins over the Accept header, as FHIR says. ``*/*``, ``application/*`` and no Accept at all mean
JSON; an Accept header naming neither JSON nor XML (a browser's ``text/html``, say) is answered in JSON too.
"""

from __future__ import annotations

from django.http import HttpRequest

JSON_TYPES = frozenset(
    {
        "application/fhir+json",
        "application/json",
        "application/json+fhir",  # DSTU2 clients
        "application/fhir+ndjson",  # bulk export files
        "application/ndjson",
        "*/*",
        "application/*",
    }
)
XML_TYPES = frozenset({"application/fhir+xml", "application/xml", "application/xml+fhir", "text/xml"})
JSON_FORMATS = frozenset({"json", *JSON_TYPES} - {"*/*", "application/*"})


def _media_ranges(accept: str) -> list[tuple[str, float]]:
    """(media type, q) for each range of an Accept header, parameters other than q dropped."""
    ranges = []
    for part in accept.split(","):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media.lower(), quality))
    return ranges


def refusal(request: HttpRequest) -> str | None:
    """Why the request cannot be answered in a format it accepts (a 406), or None when JSON will do."""
    fmt = request.GET.get("_format")
    if fmt is not None:
        media = fmt.split(";")[0].strip().lower()
        if media in JSON_FORMATS:
            return None
        return f"_format {fmt!r} is not offered: this server answers in FHIR JSON only (_format=json)."
    accepted = [media for media, quality in _media_ranges(request.headers.get("Accept", "")) if quality > 0]
    if not accepted or any(media in JSON_TYPES for media in accepted):
        return None
    if any(media in XML_TYPES for media in accepted):
        return (
            "This server answers in FHIR JSON only: send Accept: application/fhir+json (XML is not offered)."
        )
    return None
