"""Benchmarks: ingestion, queries and the app (run with `python -m bench.<name>`)."""
