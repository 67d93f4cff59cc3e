"""SMART App Launch 2 and Backend Services: the OAuth2 authorization server for the FHIR API."""
