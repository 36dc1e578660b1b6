"""The page: server-rendered summary (header, check cards, trend, charts, breakdowns) plus a small script
that renders the failing-article table and the per-article view on demand from embedded JSON.

Hostile values reach the page only through ``html.escape`` (server side), ``textContent`` (client side) or
the JSON islands, which escape ``<``, ``>``, ``&`` and the JavaScript line separators so no value can close
the script element. A Content-Security-Policy with hashes of the one style and one script block stops
anything else from running or loading.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from html import escape
from importlib import resources
from typing import Any

from validators.report.charts import bar_chart
from validators.report.payload import Payload
from validators.report.sidecars import ALL_FAILURES, FAILURES_DIR, TREND_FILE, failures_file
from validators.report.summary import Group, Summary
from validators.report.trend import Trend

ROWS_ISLAND = "report-rows"
TEXTS_ISLAND = "report-texts"


def asset(name: str) -> str:
    """The text of a bundled asset (``report.css`` or ``report.js``)."""
    return resources.files("validators.report").joinpath("assets", name).read_text("utf-8")


def json_island(value: Any) -> str:
    """``value`` as JSON that is safe inside ``<script type="application/json">``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def island_bytes(value: Any, depth: int = 2) -> bytes:
    """:func:`json_island` of ``value`` in UTF-8. Lists and objects are encoded member by member down to
    ``depth`` levels (an island's articles, or its tables' entries): one character beyond the Basic Multilingual
    Plane cannot turn a whole island into a string of four bytes a character, and each article is still one
    call. A lone surrogate (hostile text) becomes its ``\\uXXXX`` escape, which JSON allows."""
    if depth > 0 and isinstance(value, list):
        return b"".join((b"[", b",".join(island_bytes(item, depth - 1) for item in value), b"]"))
    if depth > 0 and isinstance(value, dict) and all(isinstance(key, str) for key in value):
        members = (island_bytes(key) + b":" + island_bytes(item, depth - 1) for key, item in value.items())
        return b"".join((b"{", b",".join(members), b"}"))
    return json_island(value).encode("utf-8", "backslashreplace")


def page(
    results: Mapping[str, Any],
    payload: Payload,
    summary: Summary | None,
    trend: Trend | None,
    data_docs: str | None,
    islands: tuple[bytes, bytes],
) -> bytes:
    """The complete HTML document in UTF-8; ``islands`` are ``payload``'s rows and texts as
    :func:`island_bytes` writes them."""
    rows_json, texts_json = islands
    style = asset("report.css")
    script = asset("report.js")
    csp = (
        f"default-src 'none'; style-src '{_sha256(style)}'; script-src '{_sha256(script)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    dataset = str(results.get("dataset", ""))
    body = [
        _header(results, payload, data_docs),
        _cards(results),
        _trend(trend) if trend else "",
        _distributions(results, summary),
        _explorer(payload),
    ]
    head = (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{csp}\">"
        "<meta name='referrer' content='no-referrer'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Article quality: {escape(dataset)}</title><style>{style}</style></head><body>"
        f"{''.join(body)}"
        f"<script type='application/json' id='{ROWS_ISLAND}'>"
    )
    middle = f"</script><script type='application/json' id='{TEXTS_ISLAND}'>"
    tail = f"</script><script>{script}</script></body></html>\n"
    # A lone surrogate in a hostile name cannot be written as UTF-8: it shows as "?".
    return b"".join((head.encode("utf-8", "replace"), rows_json, middle.encode(), texts_json, tail.encode()))


def status_of(check: Mapping[str, Any]) -> str:
    """PASS, WARN (a failing warning-severity check) or FAIL."""
    if check.get("success"):
        return "PASS"
    return "FAIL" if check.get("severity") == "error" else "WARN"


def _header(results: Mapping[str, Any], payload: Payload, data_docs: str | None) -> str:
    verdict = "PASS" if results.get("success") else "FAIL"
    run = results.get("run", {})
    versions = run.get("versions", {})
    total = int(results.get("articles", 0))
    facts = [
        ("Dataset", results.get("dataset", "")),
        ("Suite", results.get("suite", "")),
        ("Finished", run.get("finished_at", "")),
        ("Articles", f"{total:,}"),
        ("With findings", f"{payload.failing:,} ({_rate(payload.failing, total)})"),
        ("Versions", ", ".join(f"{k} {v}" for k, v in versions.items())),
    ]
    items = "".join(f"<div><dt>{escape(k)}</dt><dd>{escape(str(v))}</dd></div>" for k, v in facts if v != "")
    links = [f"<a href='{escape(FAILURES_DIR)}/{escape(ALL_FAILURES)}'>All failing ids (CSV)</a>"]
    if data_docs:
        links.append(f"<a href='{escape(data_docs, quote=True)}'>Great Expectations Data Docs</a>")
    return (
        "<header><div class='title'>"
        f"<h1>Article quality report</h1><span class='verdict {verdict}'>{_icon(verdict)} {verdict}</span>"
        "<button type='button' id='theme' class='ghost' title='Switch light/dark'>Theme</button></div>"
        f"<dl class='facts'>{items}</dl><nav>{' · '.join(links)}</nav></header>"
    )


def _cards(results: Mapping[str, Any]) -> str:
    total = int(results.get("articles", 0))
    cards = []
    for index, check in enumerate(results.get("checks", [])):
        status = status_of(check)
        failed = int(check.get("failed", 0))
        description = check.get("description") or ""
        show = (
            f"<button type='button' class='ghost show-check' data-index='{index}'>Show failing</button>"
            if failed
            else ""
        )
        cards.append(
            f"<article class='card {status}'><div class='card-head'>"
            f"<span class='swatch' data-c='{index % 10}'></span><h3>{_breakable(str(check['id']))}</h3>"
            f"<span class='status {status}'>{_icon(status)} {status}</span></div>"
            f"<p class='muted'>{escape(str(description))}</p>"
            f"<p class='big'>{failed:,} <small>failed · {_rate(failed, total)}</small></p>"
            f"<dl class='kv'><dt>Severity</dt><dd>{escape(str(check.get('severity', '')))}</dd>"
            f"<dt>Threshold</dt><dd>{escape(_threshold(check))}</dd></dl>"
            f"<p class='card-links'>{show} <a href='{escape(failures_file(str(check['id'])), quote=True)}'>"
            "ids (CSV)</a></p></article>"
        )
    return f"<section><h2>Checks</h2><div class='cards'>{''.join(cards)}</div></section>"


def _threshold(check: Mapping[str, Any]) -> str:
    params = check.get("params") or {}
    parts = [f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}" for k, v in params.items()]
    mostly = check.get("mostly")
    if mostly is None or float(mostly) >= 1.0:
        parts.append("every article must pass")
    else:
        parts.append(f"at least {float(mostly):.1%} must pass")
    return "; ".join(parts)


def _trend(trend: Trend) -> str:
    rows = []
    for c in trend.checks:
        if c.delta is None:
            rows.append(
                f"<tr><td>{escape(c.check_id)}</td><td class='num'>{c.failed:,}</td>"
                "<td colspan='5' class='muted'>not in the baseline run</td></tr>"
            )
            continue
        cls = "worse" if c.delta > 0 else ("better" if c.delta < 0 else "")
        rows.append(
            f"<tr><td>{escape(c.check_id)}</td><td class='num'>{c.failed:,}</td>"
            f"<td class='num'>{c.baseline_failed:,}</td><td class='num {cls}'>{c.delta:+,}</td>"
            f"<td class='num {cls}'>{(c.rate_delta or 0.0) * 100:+.2f} pp</td>"
            f"<td>{_id_list(c.new)}</td><td>{_id_list(c.fixed)}</td></tr>"
        )
    return (
        f"<section id='trend'><h2>Trend</h2><p class='muted'>Against {escape(trend.baseline)} "
        f"({trend.baseline_articles:,} articles). Complete lists: "
        f"<a href='{FAILURES_DIR}/{TREND_FILE}'>{FAILURES_DIR}/{TREND_FILE}</a>.</p>"
        "<div class='scroll'><table><thead><tr><th>Check</th><th>Failed</th><th>Baseline</th><th>Δ</th>"
        "<th>Δ rate</th><th>New failures</th><th>Fixed</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _id_list(ids: Sequence[str], shown: int = 5) -> str:
    if not ids:
        return "<span class='muted'>none</span>"
    head = ", ".join(f"<code>{escape(i)}</code>" for i in ids[:shown])
    more = f" <span class='muted'>+{len(ids) - shown:,} more</span>" if len(ids) > shown else ""
    return f"<b>{len(ids):,}</b>: {head}{more}"


def _distributions(results: Mapping[str, Any], summary: Summary | None) -> str:
    if summary is None:
        return (
            "<section><h2>Distributions</h2><p class='muted'>The run's measures table is missing, so there "
            "are no breakdowns or charts.</p></section>"
        )
    params = {str(c.get("check")): c.get("params") or {} for c in results.get("checks", [])}
    foreign_limit = params.get("mixed_language", {}).get("max_foreign_fraction")
    boilerplate_limit = params.get("boilerplate", {}).get("max_share")
    charts = [
        bar_chart("Text length (characters)", summary.text_length),
        bar_chart("Foreign-language fraction", summary.foreign_fraction, _float(foreign_limit)),
        bar_chart("Boilerplate share", summary.boilerplate_share, _float(boilerplate_limit)),
        bar_chart(
            "Publication dates",
            summary.months,
            note=f"{summary.undated:,} without a date" if summary.undated else "",
        ),
    ]
    checks = [str(c["id"]) for c in results.get("checks", [])]
    return (
        f"<section><h2>Distributions</h2><div class='charts'>{''.join(charts)}</div></section>"
        "<section><h2>Breakdowns</h2><div class='breakdowns'>"
        f"{_breakdown('By source', summary.by_source, checks)}"
        f"{_breakdown('By language', summary.by_language, checks)}</div></section>"
    )


def _breakdown(title: str, groups: Sequence[Group], checks: Sequence[str]) -> str:
    rows = []
    for g in groups:
        top = sorted(
            g.by_check.items(), key=lambda item: (-item[1], checks.index(item[0]) if item[0] in checks else 0)
        )[:3]
        detail = ", ".join(f"{escape(k)} {v:,}" for k, v in top)
        rows.append(
            f"<tr><td>{escape(g.label)}</td><td class='num'>{g.articles:,}</td>"
            f"<td class='num'>{g.failing:,}</td>"
            f"<td class='num'>{_rate(g.failing, g.articles)}</td><td class='muted'>{detail}</td></tr>"
        )
    return (
        f"<div><h3>{escape(title)}</h3><div class='scroll'><table><thead><tr><th></th><th>Articles</th>"
        "<th>Failing</th><th>Rate</th><th>Most failed checks</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div></div>"
    )


def _explorer(payload: Payload) -> str:
    capped = ""
    if payload.listed < payload.failing:
        capped = (
            f"<p class='muted'>The page lists {payload.listed:,} of {payload.failing:,} failing articles; "
            f"the complete lists are in <a href='{FAILURES_DIR}/{ALL_FAILURES}'>{FAILURES_DIR}/</a>.</p>"
        )
    return (
        "<section id='failing'><h2>Failing articles</h2>"
        f"{capped}"
        "<div class='controls'>"
        "<label>Check <select id='f-check'><option value=''>all</option></select></label>"
        "<label>Source <select id='f-source'><option value=''>all</option></select></label>"
        "<label>Language <select id='f-language'><option value=''>all</option></select></label>"
        "<label class='grow'>Search <input id='f-search' type='search' "
        "placeholder='id, title, source, URL or text'></label>"
        "<button type='button' id='export'>Export ids (CSV)</button></div>"
        "<p id='count' class='muted' aria-live='polite'></p>"
        "<div class='explorer'><div class='scroll'><table id='articles'><thead><tr><th>Article</th>"
        "<th>Title</th><th>Source</th><th>Lang</th><th>Failed checks</th><th>Date</th></tr></thead>"
        "<tbody></tbody></table><div class='pager'><button type='button' id='prev' class='ghost'>‹ Previous"
        "</button><span id='page'></span><button type='button' id='next' class='ghost'>Next ›</button></div>"
        "</div><aside id='view' hidden></aside></div>"
        "<noscript><p>The article table needs JavaScript; the CSV files beside this report list every "
        "failing id.</p></noscript></section>"
    )


def _breakable(identifier: str) -> str:
    """Escaped, with line-break opportunities after underscores so long check ids wrap at word parts."""
    return escape(identifier).replace("_", "_<wbr>")


def _rate(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "–"


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _icon(status: str) -> str:
    return {"PASS": "✓", "WARN": "!", "FAIL": "✗"}.get(status, "")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
