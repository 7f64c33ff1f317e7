"""WSGI entry point for gunicorn: `gunicorn dashboard.wsgi:server` (RECTIFY_DB names the warehouse)."""

from dashboard.app import create_app, warm_up
from warehouse.db import default_db_path

app = create_app(default_db_path())
server = app.server
# Each gunicorn worker imports this module: serve the index once here, so the worker knows
# its script bundles before a browser asks it for one (Dash registers them on the index).
warm_up(app)
