"use strict";
// Renders the failing-article table and the per-article view from the embedded JSON, on demand.
// Data only ever reaches the page through textContent and setAttribute: never as markup.
(() => {
  const PAGE_SIZE = 100;
  const $ = (id) => document.getElementById(id);
  const island = (id) => JSON.parse($(id).textContent || "null");
  const data = island("report-rows");
  const rows = data.rows;
  let texts = null;
  const textsOf = () => texts || (texts = island("report-texts"));

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === "") continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  // Only plain web links become clickable; anything else (javascript:, data:, relative) stays text.
  function safeLink(url) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === "http:" || parsed.protocol === "https:") {
        return el("a", { href: parsed.href, rel: "noopener noreferrer nofollow", target: "_blank" }, url);
      }
    } catch (error) {
      // Not a URL: shown as text below.
    }
    return el("code", {}, url);
  }

  // results.json offsets count code points; JavaScript strings index UTF-16 code units.
  function codeUnitOffsets(text) {
    const offsets = [0];
    let i = 0;
    while (i < text.length) {
      const unit = text.charCodeAt(i);
      const pair = unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length &&
        (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      i += pair ? 2 : 1;
      offsets.push(i);
    }
    return offsets;
  }

  function badge(checkIndex) {
    return el("span", { class: "badge", "data-c": checkIndex % 10 }, data.checks[checkIndex]);
  }

  // ---- filters -------------------------------------------------------------------------------------
  const filters = { check: "", source: "", language: "", query: "" };
  let matching = rows.map((_, i) => i);
  let page = 0;
  let current = -1;
  let haystacks = null;

  function fillSelect(select, labels, counts) {
    const order = labels.map((_, i) => i).filter((i) => counts[i] > 0)
      .sort((a, b) => counts[b] - counts[a] || labels[a].localeCompare(labels[b]));
    for (const i of order) select.append(el("option", { value: i }, `${labels[i]} (${counts[i]})`));
  }

  function countBy(field, size) {
    const counts = new Array(size).fill(0);
    for (const row of rows) {
      if (field === 4) for (const c of row[4]) counts[c] += 1;
      else counts[row[field]] += 1;
    }
    return counts;
  }

  function haystack(i) {
    if (!haystacks) haystacks = new Array(rows.length);
    if (haystacks[i] === undefined) {
      const row = rows[i];
      const entry = textsOf()[i] || {};
      const pieces = [row[0], row[1], data.sources[row[2]], row[6]];
      for (const segment of entry.x || []) pieces.push(segment[1]);
      haystacks[i] = pieces.join("\n").toLowerCase();
    }
    return haystacks[i];
  }

  function applyFilters() {
    const check = filters.check === "" ? -1 : Number(filters.check);
    const source = filters.source === "" ? -1 : Number(filters.source);
    const language = filters.language === "" ? -1 : Number(filters.language);
    const query = filters.query.trim().toLowerCase();
    matching = [];
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i];
      if (check >= 0 && !row[4].includes(check)) continue;
      if (source >= 0 && row[2] !== source) continue;
      if (language >= 0 && row[3] !== language) continue;
      if (query && !haystack(i).includes(query)) continue;
      matching.push(i);
    }
    page = 0;
    renderTable();
  }

  // ---- table ---------------------------------------------------------------------------------------
  function renderTable() {
    const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    const first = page * PAGE_SIZE;
    const shown = matching.slice(first, first + PAGE_SIZE);
    const body = $("articles").tBodies[0];
    body.replaceChildren(...shown.map((i) => {
      const row = rows[i];
      const open = el("button", { type: "button", class: "open", "data-row": i }, row[0]);
      const tr = el("tr", { "data-row": i },
        el("td", {}, open), el("td", {}, row[1]), el("td", {}, data.sources[row[2]]),
        el("td", {}, data.languages[row[3]]), el("td", {}, ...row[4].map(badge)),
        el("td", {}, row[5] ? row[5].slice(0, 10) : ""));
      if (i === current) tr.classList.add("current");
      return tr;
    }));
    $("count").textContent = matching.length
      ? `Showing ${first + 1}–${first + shown.length} of ${matching.length} matching (${rows.length} listed)`
      : `No matching articles (${rows.length} listed)`;
    $("page").textContent = `Page ${page + 1} of ${pages}`;
    $("prev").disabled = page === 0;
    $("next").disabled = page >= pages - 1;
  }

  // ---- article view --------------------------------------------------------------------------------
  function highlighted(start, piece, spans) {
    const units = codeUnitOffsets(piece);
    const length = units.length - 1;
    const local = [];
    for (const span of spans) {
      const s = Math.max(0, span[1] - start);
      const e = Math.min(length, span[2] - start);
      if (e > s) local.push([span[0], s, e, span[3]]);
    }
    const cuts = new Set([0, length]);
    for (const span of local) { cuts.add(span[1]); cuts.add(span[2]); }
    const ordered = [...cuts].sort((a, b) => a - b);
    const out = [];
    for (let k = 0; k + 1 < ordered.length; k += 1) {
      const a = ordered[k];
      const b = ordered[k + 1];
      const slice = piece.slice(units[a], units[b]);
      // One mark per check covering this piece, nested when checks overlap, so every check keeps its marks.
      const byCheck = new Map();
      for (const span of local) {
        if (span[1] <= a && b <= span[2]) {
          if (!byCheck.has(span[0])) byCheck.set(span[0], new Set());
          byCheck.get(span[0]).add(data.reasons[span[3]]);
        }
      }
      let node = slice;
      for (const c of [...byCheck.keys()].sort((x, y) => y - x)) {
        const reason = `${data.checks[c]}: ${[...byCheck.get(c)].join("; ")}`;
        node = el("mark", { "data-check": data.checks[c], "data-c": c % 10, title: reason }, node);
      }
      out.push(node);
    }
    return out;
  }

  function omitted(count, what) {
    return el("span", { class: "omitted" }, `… ${count.toLocaleString()} characters ${what} …`);
  }

  function articleText(entry) {
    const box = el("div", { class: "article-text" });
    const segments = entry.x || [];
    if (!segments.length) {
      box.append(el("span", { class: "omitted" }, "The text of this article is not embedded in the report."));
      return box;
    }
    let end = 0;
    for (const [start, piece] of segments) {
      if (start > end) box.append(omitted(start - end, "not embedded"));
      box.append(...highlighted(start, piece, entry.p || []));
      end = start + codeUnitOffsets(piece).length - 1;
    }
    if (typeof entry.n === "number" && entry.n > end) box.append(omitted(entry.n - end, "not embedded"));
    return box;
  }

  function metadata(row, entry) {
    const m = entry.m || {};
    const items = [];
    const add = (label, value) => {
      if (value === undefined || value === null || value === "") return;
      items.push(el("dt", {}, label), el("dd", {}, value));
    };
    add("Source", m.source_name || data.sources[row[2]]);
    add("Host", m.source_host);
    if (row[6]) add("URL", safeLink(row[6]));
    add("Source problem", m.source_problem);
    const detected = m.detected ? `${m.detected}${m.confidence !== undefined ? ` (${m.confidence})` : ""}` : "";
    add("Language", [m.declared ? `declared ${m.declared}` : "", detected ? `detected ${detected}` : ""]
      .filter(Boolean).join(", "));
    add("Published", m.published_at);
    add("Date as given", m.published_at_raw);
    add("Date state", m.date_state);
    add("Foreign fraction", m.foreign_fraction);
    add("Boilerplate share", m.boilerplate_share);
    add("Length", typeof entry.n === "number" ? `${entry.n.toLocaleString()} characters` : "");
    return el("dl", { class: "kv" }, ...items);
  }

  function openArticle(i) {
    const view = $("view");
    if (!(i >= 0 && i < rows.length)) { view.hidden = true; return; }
    current = i;
    const row = rows[i];
    const entry = textsOf()[i] || {};
    const spans = entry.p || [];
    const spanCounts = new Map();
    for (const span of spans) spanCounts.set(span[0], (spanCounts.get(span[0]) || 0) + 1);
    const legend = el("div", { class: "legend" }, ...[...spanCounts.keys()].sort((a, b) => a - b).map((c) =>
      el("span", {}, el("span", { class: "swatch", "data-c": c % 10 }), data.checks[c],
        el("span", { class: "muted" }, `(${spanCounts.get(c)} span${spanCounts.get(c) > 1 ? "s" : ""})`))));
    const m = entry.m || {};
    const suggestion = m.suggested_published_at
      ? el("p", { class: "suggested" }, "Suggested publication date: ", el("b", {}, m.suggested_published_at),
        m.suggested_evidence ? el("span", { class: "muted" }, ` (${m.suggested_evidence})`) : null)
      : null;
    const close = el("button", { type: "button", class: "ghost", id: "close", title: "Close" }, "✕");
    const jump = el("button", { type: "button", class: "ghost", id: "next-mark" }, "Next highlight ↓");
    let markIndex = -1;
    jump.addEventListener("click", () => {
      const marks = view.querySelectorAll(".article-text > mark");
      if (!marks.length) return;
      if (markIndex >= 0 && markIndex < marks.length) marks[markIndex].classList.remove("focus");
      markIndex = (markIndex + 1) % marks.length;
      marks[markIndex].classList.add("focus");
      marks[markIndex].scrollIntoView({ block: "center" });
    });
    close.addEventListener("click", () => { view.hidden = true; current = -1; $("view").parentElement
      .classList.remove("open"); renderTable(); });
    const parts = [
      el("div", { class: "view-head" }, el("h3", {}, row[1] || "(untitled)"), close),
      el("p", {}, el("code", {}, row[0])),
      el("p", {}, "Failed: ", ...row[4].map(badge)),
      metadata(row, entry),
      suggestion,
      spans.length ? el("div", { class: "legend-row" }, legend, jump) : el("p", { class: "muted" }, "No highlighted spans: the failed checks concern "
        + "metadata, not text."),
      articleText(entry),
    ];
    view.replaceChildren(...parts.filter((part) => part !== null));
    view.hidden = false;
    view.parentElement.classList.add("open");
    renderTable();
  }

  // ---- export --------------------------------------------------------------------------------------
  function csvCell(value) {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }

  function exportCsv() {
    const lines = ["article_id,failed_checks"];
    for (const i of matching) {
      lines.push(`${csvCell(rows[i][0])},${csvCell(rows[i][4].map((c) => data.checks[c]).join(" "))}`);
    }
    const blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    const link = el("a", { href: URL.createObjectURL(blob), download: "failing-articles.csv" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  // ---- wiring --------------------------------------------------------------------------------------
  fillSelect($("f-check"), data.checks, countBy(4, data.checks.length));
  fillSelect($("f-source"), data.sources, countBy(2, data.sources.length));
  fillSelect($("f-language"), data.languages, countBy(3, data.languages.length));
  for (const [id, key] of [["f-check", "check"], ["f-source", "source"], ["f-language", "language"]]) {
    $(id).addEventListener("change", (event) => { filters[key] = event.target.value; applyFilters(); });
  }
  let typing = 0;
  $("f-search").addEventListener("input", (event) => {
    clearTimeout(typing);
    typing = setTimeout(() => { filters.query = event.target.value; applyFilters(); }, 120);
  });
  $("prev").addEventListener("click", () => { page -= 1; renderTable(); });
  $("next").addEventListener("click", () => { page += 1; renderTable(); });
  $("export").addEventListener("click", exportCsv);
  $("articles").addEventListener("click", (event) => {
    const button = event.target.closest("button.open");
    if (button) openArticle(Number(button.getAttribute("data-row")));
  });
  for (const button of document.querySelectorAll(".show-check")) {
    button.addEventListener("click", () => {
      const select = $("f-check");
      select.value = button.getAttribute("data-index");
      filters.check = select.value;
      applyFilters();
      $("failing").scrollIntoView();
    });
  }
  const root = document.documentElement;
  try {
    const saved = localStorage.getItem("article-report-theme");
    if (saved === "light" || saved === "dark") root.setAttribute("data-theme", saved);
  } catch (error) {
    // Storage can be unavailable for file:// pages; the system setting applies.
  }
  $("theme").addEventListener("click", () => {
    const dark = root.getAttribute("data-theme") === "dark" ||
      (!root.hasAttribute("data-theme") && matchMedia("(prefers-color-scheme: dark)").matches);
    const next = dark ? "light" : "dark";
    root.setAttribute("data-theme", next);
    try { localStorage.setItem("article-report-theme", next); } catch (error) { /* see above */ }
  });
  renderTable();
  document.body.setAttribute("data-ready", "true");
  performance.mark("report-ready");
})();
