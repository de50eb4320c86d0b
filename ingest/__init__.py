"""Ingest: load, clean, describe, chunk, extract goals and store policy documents."""
