"""Bulk export in the style of FHIR $export: one NDJSON stream per resource type, all of it, with the
reader's role limits. The manifest lists a URL per type; each URL streams its resources as they are read,
in chunks, so memory stays flat whatever the size of the database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db import transaction

from ivig.audit.events import record
from ivig.fhir import registry
from ivig.fhir.models import ApiToken
from ivig.fhir.registry import SearchError
from ivig.fhir.scope import may_read, readable

CHUNK_ROWS = 2000  # rows per database round trip
FLUSH_BYTES = 256 * 1024  # bytes handed to the server at a time

ENCODER = "json"
try:
    import orjson

    ENCODER = "orjson"

    def dumps(resource: dict[str, Any]) -> bytes:
        return bytes(orjson.dumps(resource))

except ImportError:  # pragma: no cover - orjson is optional

    def dumps(resource: dict[str, Any]) -> bytes:
        return json.dumps(resource, separators=(",", ":"), ensure_ascii=False).encode()


def exportable_types(user: Any, requested: str | None = None) -> list[str]:
    """The types in the export: every type the user may read at least partly, or those of `_type`."""
    known = registry.resource_types()
    if requested is None or requested.strip() == "":
        wanted = known
    else:
        wanted = [name.strip() for name in requested.split(",") if name.strip()]
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise SearchError(f"_type names types this server does not have: {', '.join(unknown)}.")
        wanted = list(dict.fromkeys(wanted))
    return [name for name in wanted if any(may_read(s, user) for s in registry.sources(name))]


def manifest(
    *, user: Any, base: str, requested: str | None, transaction_time: str, request_url: str
) -> dict[str, Any]:
    return {
        "transactionTime": transaction_time,
        "request": request_url,
        "requiresAccessToken": True,
        "output": [
            {"type": name, "url": f"{base}$export/{name}.ndjson"}
            for name in exportable_types(user, requested)
        ],
        "error": [],
    }


def ndjson(resource_type: str, user: Any) -> Iterator[bytes]:
    """Every resource of the type the user may read, one JSON object per line."""
    buffer: list[bytes] = []
    size = 0
    for source in registry.sources(resource_type):
        if not may_read(source, user):
            continue
        for obj in readable(source, user).order_by("pk").iterator(chunk_size=CHUNK_ROWS):
            line = dumps(source.resource(obj)) + b"\n"
            buffer.append(line)
            size += len(line)
            if size >= FLUSH_BYTES:
                yield b"".join(buffer)
                buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)


def count_exported(resource_type: str, user: Any) -> int:
    """How many resources ndjson() yields (the benchmark counts them this way)."""
    return sum(
        readable(source, user).count() for source in registry.sources(resource_type) if may_read(source, user)
    )


@transaction.atomic
def record_export(*, by: Any, token: ApiToken, resource_type: str) -> None:
    """Note in the audit trail that a user exported every resource of a type they may read."""
    record(
        action="fhir.export",
        by=by,
        target=token,
        summary=f"Bulk export of {resource_type} with API token {token.name!r}",
        after={"resource_type": resource_type},
    )
