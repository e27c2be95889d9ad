"""datalaw-kg: the knowledge graph of China's data-law landscape.

The package follows the flow of the data, one module per stage:
``reference`` (curated YAML → models) → ``mapping``/``rdf`` (models → RDF) →
``store`` (embedded Oxigraph) → ``query`` (SPARQL), with ``build`` tying them
together and ``cli`` as the thin command line.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("datalaw-kg")
except PackageNotFoundError:  # running from a checkout without installing
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
