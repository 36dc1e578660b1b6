"""Detectors: pure functions over article text and fields that return scores and spans.

Nothing in this package imports Great Expectations, the report or the CLI, so every detector can be
unit-tested, benchmarked and shipped to a worker process on its own.
"""
