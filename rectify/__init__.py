"""rectify: rectification reports into a DuckDB warehouse and a Dash dashboard."""

__version__ = "0.1.0"
