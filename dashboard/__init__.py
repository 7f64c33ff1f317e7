"""The Dash dashboard: thin pages over warehouse queries."""
