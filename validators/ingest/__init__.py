"""Ingest: turn input files into the article table (see ``validators.schema``)."""
