"""datalaw-kg: the knowledge graph of China's data-law landscape.

The package follows the flow of the data, one module per stage:
``reference`` (curated YAML → models) → ``mapping``/``rdf`` (models → RDF) →
``store`` (embedded Oxigraph) → ``query`` (SPARQL), with ``build`` tying them
together and ``cli`` as the thin command line. ``kg.Graph`` is the notebook's
entry point (:class:`kg.query.Graph`), imported on first use.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("datalaw-kg")
except PackageNotFoundError:  # running from a checkout without installing
    __version__ = "0.0.0+unknown"

if TYPE_CHECKING:
    from kg.query import Graph

__all__ = ["Graph", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazily: `kg --version` and the CLI need not load the query engine.
    if name == "Graph":
        from kg.query import Graph

        return Graph
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
