"""One on-page message box for the whole page: errors (red), warnings (yellow), information (blue).

Every callback that reports to the user returns ``message(level, text, title)`` into the four props
listed by ``message_outputs``; ``HIDDEN`` hides the box. Lists of lines (e.g. several warnings) are shown
one per line.
"""

from __future__ import annotations

from collections.abc import Sequence

import dash_mantine_components as dmc
from dash import Output, html

from econ.loader import one_line

STATUS = "status"
LEVELS = {
    "error": ("red", "Not loaded: the assumptions are unchanged"),
    "warning": ("yellow", "Warning"),
    "info": ("blue", "Status"),
    "muted": ("gray", "Status"),
}
PROPS = ("children", "color", "title", "hide")
HIDDEN = ("", "gray", "Status", True)


def page_alert(alert_id: str = STATUS) -> dmc.Alert:
    """The (hidden) message box."""
    return dmc.Alert("", id=alert_id, color="gray", title="Status", hide=True, withCloseButton=False)


def message_outputs(alert_id: str = STATUS, allow_duplicate: bool = False) -> list[Output]:
    return [Output(alert_id, prop, allow_duplicate=allow_duplicate) for prop in PROPS]


def message(level: str, text: str | Sequence[str], title: str | None = None) -> tuple:
    """(children, color, title, hide) for ``message_outputs``."""
    color, default_title = LEVELS[level]
    body = one_line(text, 600) if isinstance(text, str) else html.Div([html.Div(one_line(line, 600)) for line in text])
    return body, color, title or default_title, False
