"""The app factory. ``server`` is the Flask app for a WSGI server:

    gunicorn --bind 127.0.0.1:8050 --workers 2 --preload dash_app.app:server

The Uncertainty tab runs as a background callback: each run is a process forked by a
``dash.DiskcacheManager``, which leaves progress and results in a disk cache that the
page polls. Every process serving the app must see the same cache directory: with
gunicorn, either ``--preload`` (the app, and its temporary cache, are made once before
the workers fork) or ``ECON_APP_CACHE_DIR`` set to one directory for all workers.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import tempfile
from collections.abc import Sequence

import dash
import diskcache

from .callbacks import register
from .layout import layout

CACHE_DIR_ENV = "ECON_APP_CACHE_DIR"
# A callback request holds the controls' values and, at most, one upload (256 KiB, base64): 4 MiB is ample.
# Larger requests get HTTP 413 before any callback runs.
MAX_REQUEST_BYTES = 4 * 1024 * 1024


def background_manager(directory: str | None = None) -> dash.DiskcacheManager:
    """The manager of the app's background jobs, with its cache in ``directory``.

    Without a directory (nor ECON_APP_CACHE_DIR), a fresh temporary directory, removed when the
    process that made it exits. The cache only holds jobs' progress and results between the job
    and the page's next poll (Dash deletes a result once fetched): no per-user state lives there.
    """
    directory = directory or os.environ.get(CACHE_DIR_ENV)
    if not directory:
        directory = tempfile.mkdtemp(prefix="econ-app-jobs-")
        owner = os.getpid()
        # Only the creating process removes it: forked jobs and gunicorn workers share it and exit earlier.
        atexit.register(lambda: os.getpid() == owner and shutil.rmtree(directory, ignore_errors=True))
    return dash.DiskcacheManager(diskcache.Cache(directory))


def create_app(uncertainty_params: Sequence[str] | None = None, cache_dir: str | None = None) -> dash.Dash:
    """The Dash app. ``uncertainty_params`` restricts the Uncertainty tab to those parameters
    (for quick tests; by default every uncertain parameter varies); ``cache_dir`` is the
    background jobs' cache directory (see background_manager)."""
    app = dash.Dash(
        __name__,
        title="econ: sanctions on Russia and Europe's gas",
        suppress_callback_exceptions=False,
        update_title=None,
        background_callback_manager=background_manager(cache_dir),
    )
    app.layout = layout
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    register(app, uncertainty_params=uncertainty_params)
    return app


def _exit_on_sigterm() -> None:
    """SIGTERM ends the process through SystemExit, so that atexit removes the jobs' temporary folder
    (gunicorn's master and workers already exit this way)."""

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


app = create_app()
server = app.server


def main(host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    print(f"econ app: http://{host}:{port}/", flush=True)
    _exit_on_sigterm()
    app.run(host=host, port=port, debug=debug)


if __name__ == "__main__":
    main()
