"""ETL: read rectification reports, recover their skeleton, extract metrics, load DuckDB."""
