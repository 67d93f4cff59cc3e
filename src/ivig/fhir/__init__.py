"""FHIR R4 interface: resource mappers (``resources``), their registry, the API and bulk export."""
