"""How an output was made: versions, model and lexicon hashes, options (``.meta.json``)."""

from __future__ import annotations

import platform
from datetime import datetime, timezone
from importlib import metadata

__all__ = ["provenance", "package_versions"]

_PACKAGES = (
    "framing",
    "torch",
    "sentence-transformers",
    "transformers",
    "umap-learn",
    "scikit-learn",
    "numpy",
)


def package_versions() -> dict[str, str | None]:
    """Installed versions of the packages that change numbers, read without importing them."""
    versions: dict[str, str | None] = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def provenance(*, command: str, options: dict, embedder=None, lexicon=None, inputs=()) -> dict:
    """A JSON-ready description of a run, to be written beside its outputs."""
    info: dict = {
        "tool": "framing",
        "version": package_versions()["framing"],
        "command": command,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "options": options,
        "inputs": list(inputs),
        "python": platform.python_version(),
        "packages": package_versions(),
    }
    if embedder is not None:
        info["model"] = {
            "id": embedder.model_id,
            "path": embedder.model_name,
            "backend": embedder.backend,
            "weights_sha256": embedder.weights_sha256,
        }
    if lexicon is not None:
        info["lexicons"] = [{"source": src, "sha256": sha} for src, sha in lexicon.sources]
    return info
