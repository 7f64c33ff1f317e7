"""WSGI entry point for gunicorn: `gunicorn dashboard.wsgi:server` (RECTIFY_DB names the warehouse)."""

from dashboard.app import create_app
from warehouse.db import default_db_path

app = create_app(default_db_path())
server = app.server
