"""The dashboard: server-rendered pages and the charts they (and the report) show."""
