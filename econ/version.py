"""The installed package's version (one place; the manifest and the Dask workers' check read it)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("econ")
except PackageNotFoundError:  # run from a source tree that is not installed
    __version__ = "0+unknown"
