"""Where the registry, the presets and the data live.

In a source checkout (``pip install -e .``) they sit at the repository's top
level; in a built wheel they are shipped inside the package. ``ECON_HOME`` may
point at another tree with the same layout (assumptions/, data/).
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    env = os.environ.get("ECON_HOME")
    if env:
        return Path(env).resolve()
    bundled = _PACKAGE_DIR / "_resources"
    if (bundled / "assumptions").is_dir():
        return bundled
    return _PACKAGE_DIR.parent


def registry_path() -> Path:
    return project_root() / "assumptions" / "parameters.csv"


def presets_dir() -> Path:
    return project_root() / "assumptions" / "scenarios"


def data_dir() -> Path:
    return project_root() / "data"
