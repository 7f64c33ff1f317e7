"""Exports for slides and analysts: a PowerPoint deck with native charts, CSV and Excel of
what the filters show, and every chart as an image."""
