"""The reviewer's HTML report: one self-contained file built from ``results.json`` and the article table.

Article text, titles, URLs and source names are hostile input: every value goes through ``html.escape``.
The report never calls a detector; spans come from the results.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

MAX_ARTICLES_SHOWN = 500
MAX_TEXT_CHARS = 50_000

STYLE = """
:root { color-scheme: light dark; --bg:#fff; --fg:#1b1b1b; --muted:#666; --card:#f5f5f7; --pass:#1a7f37;
  --fail:#cf222e; --warn:#9a6700; }
@media (prefers-color-scheme: dark) { :root { --bg:#111; --fg:#eee; --muted:#aaa; --card:#1d1d21;
  --pass:#3fb950; --fail:#f85149; --warn:#d29922; } }
body { font: 15px/1.5 system-ui, sans-serif; background: var(--bg); color: var(--fg); margin: 2rem; }
table { border-collapse: collapse; } td, th { padding: .25rem .75rem; text-align: left; }
tr:nth-child(even) { background: var(--card); }
.PASS { color: var(--pass); font-weight: 600; } .FAIL { color: var(--fail); font-weight: 600; }
.WARN { color: var(--warn); font-weight: 600; }
article { background: var(--card); padding: 1rem; margin: 1rem 0; border-radius: 6px; }
.text { white-space: pre-wrap; font-family: ui-serif, Georgia, serif; }
mark { padding: 0 .1em; border-radius: 2px; }
mark[data-check="mixed_language"] { background: #ffd8a8; color: #000; }
mark[data-check="boilerplate"] { background: #a5d8ff; color: #000; }
.muted { color: var(--muted); }
"""


def render_report(results: Mapping[str, Any], table_path: Path | None, data_docs: str | None = None) -> str:
    """The complete report HTML for one run."""
    failing = results.get("articles_failed", [])[:MAX_ARTICLES_SHOWN]
    articles = _load_articles(table_path, {a["article_id"] for a in failing}) if table_path else {}
    verdict = "PASS" if results.get("success") else "FAIL"
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>Article quality: {_e(results.get('dataset', ''))}</title><style>{STYLE}</style></head><body>",
        f"<h1>Article quality report <span class='{verdict}'>{verdict}</span></h1>",
        "<p>",
        f"Dataset <b>{_e(results.get('dataset', ''))}</b> · suite <b>{_e(results.get('suite', ''))}</b> · ",
        f"{int(results.get('articles', 0))} articles · {len(results.get('articles_failed', []))} with findings",
        f" · {_e(str(results.get('run', {}).get('finished_at', '')))}</p>",
    ]
    if data_docs:
        parts.append(f"<p><a href='{_e(data_docs)}'>Great Expectations Data Docs for this run</a></p>")
    parts.append(_checks_table(results))
    parts.append("<h2>Articles with findings</h2>")
    for entry in failing:
        parts.append(_article(entry, articles.get(entry["article_id"], {})))
    if len(results.get("articles_failed", [])) > len(failing):
        parts.append(f"<p class='muted'>Showing the first {len(failing)}; results.json lists all.</p>")
    parts.append("</body></html>\n")
    return "".join(parts)


def _checks_table(results: Mapping[str, Any]) -> str:
    total = max(int(results.get("articles", 0)), 1)
    rows = ["<h2>Checks</h2><table><tr><th>Check</th><th>Severity</th><th>Status</th><th>Failed</th><th>Rate</th></tr>"]
    for check in results.get("checks", []):
        status = "PASS" if check["success"] else ("FAIL" if check["severity"] == "error" else "WARN")
        rows.append(
            f"<tr><td>{_e(check['id'])}</td><td>{_e(check['severity'])}</td><td class='{status}'>{status}</td>"
            f"<td>{int(check['failed'])}</td><td>{check['failed'] / total:.1%}</td></tr>"
        )
    rows.append("</table>")
    return "".join(rows)


def _article(entry: Mapping[str, Any], article: Mapping[str, Any]) -> str:
    text = article.get("text") or ""
    title = article.get("title") or ""
    url = article.get("source_url") or ""
    meta = " · ".join(
        _e(str(v)) for v in (article.get("source_name"), article.get("language"), article.get("published_at_raw")) if v
    )
    suggested = entry.get("suggested_published_at")
    hint = ""
    if suggested:
        hint = (
            f"<p>Suggested date: <b>{_e(suggested)}</b> "
            f"<span class='muted'>({_e(entry.get('suggested_published_at_evidence') or '')})</span></p>"
        )
    return (
        f"<article id='a-{_e(entry['article_id'])}'><h3>{_e(title)} <span class='muted'>"
        f"{_e(entry['article_id'])}</span></h3><p>Failed: {_e(', '.join(entry['failed_checks']))}</p>"
        f"<p class='muted'>{meta} {_e(url)}</p>{hint}"
        f"<div class='text'>{highlight(text[:MAX_TEXT_CHARS], entry.get('spans', []))}</div></article>"
    )


def highlight(text: str, spans: Sequence[Mapping[str, Any]]) -> str:
    """Escape ``text`` and wrap each span in ``<mark data-check=...>`` (offsets are code points)."""
    cuts = {0, len(text)}
    for span in spans:
        cuts.update((max(0, min(len(text), span["start"])), max(0, min(len(text), span["end"]))))
    ordered = sorted(cuts)
    out = []
    for start, end in itertools.pairwise(ordered):
        piece = _e(text[start:end])
        covering = [s for s in spans if s["start"] <= start and end <= s["end"]]
        if covering:
            first = covering[0]
            reasons = "; ".join(sorted({f"{s['check']}: {s['reason']}" for s in covering}))
            out.append(f"<mark data-check='{_e(first['check'])}' title='{_e(reasons)}'>{piece}</mark>")
        else:
            out.append(piece)
    return "".join(out)


def _load_articles(table_path: Path, wanted: set[str]) -> dict[str, dict[str, Any]]:
    if not wanted:
        return {}
    columns = ["article_id", "title", "text", "language", "published_at_raw", "source_name", "source_url"]
    found: dict[str, dict[str, Any]] = {}
    for batch in pq.ParquetFile(table_path).iter_batches(columns=columns, batch_size=5_000):
        for row in batch.to_pylist():
            if row["article_id"] in wanted:
                found[row["article_id"]] = row
    return found


def _e(value: str) -> str:
    return html.escape(value, quote=True)
