"""Errors of the warehouse a user can act on (no DuckDB import, so any command may catch them)."""


class WarehouseError(Exception):
    """A warehouse problem a user can act on (missing file, not a warehouse, no write access)."""
