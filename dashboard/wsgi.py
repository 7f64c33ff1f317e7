"""WSGI entry point for gunicorn: `gunicorn dashboard.wsgi:server` (RECTIFY_DB names the warehouse)."""

import sys

from dashboard.app import create_app, warm_up
from dashboard.uploads import sweep
from etl.rules import load_rules
from pipeline.corrections import stored_review_rows
from pipeline.rows import indicator_rows, item_status
from warehouse.db import WarehouseError, default_db_path
from warehouse.load import upgrade_if_needed

try:  # a warehouse from an earlier version gets this version's tables before it is read
    if upgrade_if_needed(
        default_db_path(), indicator_rows(load_rules()), stored_review_rows, item_status
    ):
        print(f"upgraded {default_db_path()} to this version's schema", file=sys.stderr)
except WarehouseError as exc:  # a read-only copy (a replica host) is served as it is
    print(f"rectify: {exc}", file=sys.stderr)

sweep(default_db_path())  # upload batches a crash or a closed tab left behind, past their time
app = create_app(default_db_path())
server = app.server
# Each gunicorn worker imports this module: serve the index once here, so the worker knows
# its script bundles before a browser asks it for one (Dash registers them on the index).
warm_up(app)
