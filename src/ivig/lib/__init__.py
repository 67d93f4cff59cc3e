"""The bottom layer above the clinical core: plain helpers any app may use (charts, CSV, PDF, addresses).

No concrete models (lib.models holds abstract field groups only) and no imports of an ivig app:
`lint-imports` checks it (see [tool.importlinter] in pyproject.toml).
"""
