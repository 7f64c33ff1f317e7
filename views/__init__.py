"""Views: what each page and export shows, gathered once from warehouse queries and the
vocabulary, for the dashboard and the exports alike."""
