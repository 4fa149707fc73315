"""Ingestion: parse, clean, read metadata, chunk and embed Council reports into Chroma."""
