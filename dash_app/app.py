"""The app factory. ``server`` is the Flask app for a WSGI server:

    gunicorn --bind 127.0.0.1:8050 --workers 2 dash_app.app:server
"""

from __future__ import annotations

import dash

from .callbacks import register
from .layout import layout


def create_app() -> dash.Dash:
    app = dash.Dash(__name__, title="econ: sanctions on Russia and Europe's gas", suppress_callback_exceptions=False,
                    update_title=None)
    app.layout = layout
    register(app)
    return app


app = create_app()
server = app.server


def main(host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    print(f"econ app: http://{host}:{port}/", flush=True)
    app.run(host=host, port=port, debug=debug)


if __name__ == "__main__":
    main()
