"""Per-detector speed on the corpora (or built-in texts): the figures ``make bench`` prints beside the run."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from validators.evaluation.boilerplate import bench_boilerplate
from validators.evaluation.langmix import bench_language


def main() -> None:
    """Print articles/s of the mixed-language check (one core and all cores) and of the boilerplate check."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpora", type=Path, nargs="?", help="the corpora folder (default: built-in texts)")
    args = parser.parse_args()
    corpora = args.corpora if args.corpora and args.corpora.is_dir() else None
    langmix = corpora / "langmix.jsonl.gz" if corpora else None
    cores = os.cpu_count() or 1
    for workers in sorted({1, cores}):
        figures = bench_language(2000, workers=workers, path=langmix)
        print(
            f"mixed_language alone, {workers} worker(s), ~90% pure langmix-like articles "
            f"({figures['mean_chars']:.0f} chars): {figures['articles_per_second']:,.0f} articles/s"
        )
    figures = bench_boilerplate(2000, corpora)
    print(
        f"boilerplate alone, 1 core, {'extractor output' if corpora else 'built-in texts'} "
        f"({figures.get('mean_chars', 0):.0f} chars): {figures['articles_per_second']:,.0f} articles/s"
    )


if __name__ == "__main__":
    main()
