"""The page for an address the dashboard does not have (Dash shows the `not_found_404` page
for it; dashboard/app.py answers such an address with HTTP 404), in the user's language."""

from __future__ import annotations

import dash
from dash import dcc, html

from views.i18n import t

dash.register_page(__name__, path="/not-found-404", name="not_found", order=99)


def layout(lang: str | None = None, **_query) -> html.Div:
    lang = lang or "zh"
    return html.Div(
        [
            html.H2(t("not_found_title", lang)),
            html.P(t("not_found_body", lang)),
            dcc.Link(t("not_found_home", lang), href="/", id="not-found-home"),
        ],
        className="rectify-empty",
        id="not-found",
    )
