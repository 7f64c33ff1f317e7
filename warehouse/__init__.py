"""The DuckDB warehouse: schema, contracts checked before a write, loads and named queries."""
