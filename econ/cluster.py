"""The Dask backend of the uncertainty tools: chunks of parameter sets evaluated on a cluster.

``scheduler`` is one of:

- None: a ``distributed.LocalCluster`` on this machine, one single-threaded worker process per core
  (the model is NumPy and HiGHS, which hold the GIL for much of the time, so processes beat threads),
  started for the call and closed after it;
- an address such as ``"tcp://10.0.0.5:8786"``: an existing cluster (``dask scheduler`` and
  ``dask worker`` started by hand, dask-jobqueue on a batch system, dask-kubernetes, ...); its workers
  need the same version of econ installed, which is checked;
- a ``distributed.Client`` the caller already holds (kept open).

Each task evaluates one chunk with ``uncertainty.evaluate_chunk``, the function the serial backend
calls, so a chunk gives the same numbers wherever it runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

from .data import Data, load_data
from .errors import EconError
from .version import __version__


@contextmanager
def client_for(scheduler: str | Any | None, n_workers: int | None = None) -> Iterator[Any]:
    """A ``distributed.Client`` for ``scheduler`` (see the module docstring), closed afterwards if made here."""
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=None
        )
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = Client(str(scheduler), timeout="5s")
    except OSError as exc:
        raise EconError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with client:
        yield client


def _worker_data(directory: str | None, sha256: str) -> Data:
    """The data on a worker: the packaged data, or the client's directory; refused if they differ."""
    data = load_data(directory)
    if data.sha256 != sha256:
        raise EconError(
            f"the worker's data ({data.directory}, sha256 {data.sha256[:12]}) differ from the client's "
            f"(sha256 {sha256[:12]}): install the same econ version and data on every worker"
        )
    return data


def _evaluate_on_worker(
    evaluate: Callable[..., pd.DataFrame],
    base: dict,
    chunk: pd.DataFrame,
    directory: str | None,
    sha256: str,
    version: str,
    paths: bool,
) -> pd.DataFrame:
    if version != __version__:
        raise EconError(f"the worker runs econ {__version__}, the client econ {version}: install the same version")
    return evaluate(base, chunk, _worker_data(directory, sha256), paths)


def map_chunks(
    evaluate: Callable[..., pd.DataFrame],
    base: dict,
    chunks: list[pd.DataFrame],
    data: Data,
    scheduler: str | Any | None,
    progress: Callable[[int], None] | None = None,
    paths: bool = False,
) -> list[pd.DataFrame]:
    """``evaluate(base, chunk, data, paths)`` on every chunk on the cluster; results in the chunks' order.

    The evaluator is passed in (the uncertainty module's ``evaluate_chunk``), so this backend imports no
    model code of its own."""
    from distributed import as_completed

    from .paths import data_dir

    # The packaged data are found by each worker itself (its own install); other data by their path.
    directory = None if data.directory == data_dir().resolve() else str(data.directory)
    with client_for(scheduler) as client:
        futures = [
            client.submit(
                _evaluate_on_worker, evaluate, base, chunk, directory, data.sha256, __version__, paths, pure=False
            )
            for chunk in chunks
        ]
        order = {f.key: i for i, f in enumerate(futures)}
        results: list[pd.DataFrame | None] = [None] * len(chunks)
        for future in as_completed(futures):
            i = order[future.key]
            results[i] = future.result()
            if progress is not None:
                progress(len(chunks[i]))
    return results
