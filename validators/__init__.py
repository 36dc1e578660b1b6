"""article-validators: article-quality checks for news and web-article corpora.

The package is laid out as a pipeline:

- ``validators.ingest``: inputs (JSONL, CSV, Parquet, text, HTML) to the article table;
- ``validators.detectors``: pure functions from text to scores and spans (no GX, report or CLI code);
- ``validators.measures``: the article table to narrow per-article measure columns;
- ``validators.expectations`` and ``validators.suite``: thin GX classes and the YAML suite builder;
- ``validators.results``, ``validators.report`` and ``validators.gate``: what a run writes and decides;
- ``validators.cli``: wires them together.
"""

__version__ = "0.1.0"
