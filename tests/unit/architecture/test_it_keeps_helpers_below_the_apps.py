"""web is the top (home page, navigation) and no longer the bottom: the helpers every app used (charts, CSV
cells, PDF, addresses) are in ivig.lib, the demo in ivig.demo, and FHIR's mappings in fhir."""

from __future__ import annotations

import grimp


def _importers_outside(graph: grimp.ImportGraph, package: str, *allowed: str) -> set[str]:
    """Modules outside `package` (and the `allowed` packages) that import anything in it."""
    inside = {package, *allowed}
    return {
        importer
        for module in graph.find_descendants(package) | {package}
        for importer in graph.find_modules_that_directly_import(module)
        if not any(importer == top or importer.startswith(top + ".") for top in inside)
    }


def test_no_app_imports_web(import_graph: grimp.ImportGraph) -> None:
    assert _importers_outside(import_graph, "ivig.web", "ivig.config") == set()


def test_no_app_imports_the_demo(import_graph: grimp.ImportGraph) -> None:
    assert _importers_outside(import_graph, "ivig.demo", "ivig.config") == set()


def test_lib_imports_no_app(import_graph: grimp.ImportGraph) -> None:
    imported = {
        module
        for lib_module in import_graph.find_descendants("ivig.lib") | {"ivig.lib"}
        for module in import_graph.find_modules_directly_imported_by(lib_module)
    }
    # The clinical core sits below lib (the layers contract): lib may use it, never an app.
    below = ("ivig.lib", "ivig.clinical")
    assert {m for m in imported if m.startswith("ivig.") and not m.startswith(below)} == set()


def test_hemovigilance_never_imports_fhir(import_graph: grimp.ImportGraph) -> None:
    assert not import_graph.chain_exists("ivig.hemovigilance", "ivig.fhir", as_packages=True)
    assert import_graph.chain_exists("ivig.fhir.ae_export", "ivig.fhir.resources.adverse_event")


def test_portal_makes_pdfs_with_lib_not_the_order_views(import_graph: grimp.ImportGraph) -> None:
    assert not import_graph.chain_exists("ivig.portal", "ivig.orders.views_sheet", as_packages=True)
    assert import_graph.direct_import_exists(importer="ivig.portal.views", imported="ivig.lib.pdf")


def test_smart_and_fhir_do_not_import_each_other_both_ways(import_graph: grimp.ImportGraph) -> None:
    assert not import_graph.chain_exists("ivig.smart", "ivig.fhir", as_packages=True)
