"""One module per FHIR resource type; each registers its sources with ``ivig.fhir.registry.register``."""
