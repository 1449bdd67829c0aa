// scrutiny's page: plain JavaScript, no build step, no external resources.
"use strict";

const main = () => document.getElementById("main");
const TYPES = [["minutes", "Minutes"], ["ofsted_report", "Ofsted reports"], ["news", "News"], ["report", "Reports"]];
const GRADE_LEVEL = { "inadequate": 1, "requires improvement": 2, "good": 3, "outstanding": 4 };
let authorities = null;

function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function announce(message) { document.getElementById("status").textContent = message; }

async function api(path, options = {}) {
  const response = await fetch(path, { headers: { "Content-Type": "application/json" }, ...options });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : `HTTP ${response.status}`);
  return body;
}

async function loadAuthorities() {
  if (!authorities) authorities = (await api("/authorities")).authorities;
  return authorities;
}

function describe(item) {
  const parts = [item.authority, item.body, item.date, item.page ? `p. ${item.page}` : null].filter(Boolean);
  return escapeHtml(parts.join(" · "));
}

function documentLink(item, label = "Read in the document") {
  return `<a href="#/document/${item.document_id}?start=${item.start}&end=${item.end}">${label}</a>`;
}

function sourceLink(item) {
  const target = item.url || null;
  return target ? `<a href="${escapeHtml(target)}" rel="noreferrer">Original source</a>` : `<span class="meta">${escapeHtml(item.source || "")}</span>`;
}

function filterControls(prefix, { multipleAuthorities = true } = {}) {
  const options = (authorities || []).map((a) => `<option value="${escapeHtml(a.name)}">${escapeHtml(a.name)} (${a.documents})</option>`).join("");
  return `
    <div class="row">
      <label for="${prefix}-authority">Authority
        <select id="${prefix}-authority" ${multipleAuthorities ? "multiple" : ""}>${multipleAuthorities ? "" : '<option value="">Any</option>'}${options}</select>
      </label>
      <label for="${prefix}-type">Document type
        <select id="${prefix}-type"><option value="">Any</option>${TYPES.map(([v, l]) => `<option value="${v}">${l}</option>`).join("")}</select>
      </label>
      <label for="${prefix}-since">From <input type="date" id="${prefix}-since"></label>
      <label for="${prefix}-until">To <input type="date" id="${prefix}-until"></label>
    </div>`;
}

function readFilters(prefix) {
  const select = document.getElementById(`${prefix}-authority`);
  const chosen = [...select.selectedOptions].map((o) => o.value).filter(Boolean);
  const type = document.getElementById(`${prefix}-type`).value;
  const filters = { authority: chosen, type: type ? [type] : [] };
  const since = document.getElementById(`${prefix}-since`).value;
  const until = document.getElementById(`${prefix}-until`).value;
  if (since) filters.since = since;
  if (until) filters.until = until;
  return filters;
}

function citationList(citations) {
  return `<ol class="citations">${citations.map((c) => `
    <li id="citation-${c.n}">
      <strong>${escapeHtml(c.title || "Untitled")}</strong><br>
      <span class="meta">${describe(c)}</span>
      <blockquote>${escapeHtml(c.quote)}</blockquote>
      ${documentLink(c)} · ${sourceLink(c)}
    </li>`).join("")}</ol>`;
}

function passageList(passages, terms = []) {
  return `<ol class="results">${passages.map((p) => `
    <li>
      <strong>${escapeHtml(p.title || "Untitled")}</strong> <span class="meta where">${describe(p)}</span>
      <blockquote>${highlight(p.quote, terms)}</blockquote>
      ${documentLink(p)} · ${sourceLink(p)}
    </li>`).join("")}</ol>`;
}

function highlight(text, terms) {
  let html = escapeHtml(text);
  const words = terms.filter((t) => t.length > 2).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (!words.length) return html;
  return html.replace(new RegExp(`\\b(${words.join("|")})\\w*`, "gi"), "<mark>$&</mark>");
}

function queryTerms(query) {
  const stop = new Set(["what", "did", "the", "and", "for", "with", "how", "was", "were", "about", "from", "that", "this", "which", "when", "who"]);
  return query.toLowerCase().match(/[a-z0-9]+/g)?.filter((w) => !stop.has(w)) ?? [];
}

// -- views ---------------------------------------------------------------------------------------

async function viewAsk(params) {
  await loadAuthorities();
  main().innerHTML = `
    <h2>Ask a question</h2>
    <form class="query" id="ask-form">
      <label for="ask-question">Question
        <input type="search" id="ask-question" required minlength="3" maxlength="500" placeholder="What did the director promise on NFA rates?" value="${escapeHtml(params.get("q") || "")}">
      </label>
      ${filterControls("ask")}
      <div><button type="submit">Ask</button></div>
    </form>
    <section id="ask-result" aria-live="polite"></section>`;
  document.getElementById("ask-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const target = document.getElementById("ask-result");
    target.innerHTML = "<p>Searching the documents…</p>";
    try {
      const body = await api("/ask", { method: "POST", body: JSON.stringify({ question: document.getElementById("ask-question").value, filters: readFilters("ask"), k: 5 }) });
      target.innerHTML = renderAnswer(body);
      announce(body.abstained ? "Not found in the documents" : `Answer with ${body.citations.length} citations`);
    } catch (error) {
      target.innerHTML = `<p class="error" role="alert">${escapeHtml(error.message)}</p>`;
    }
  });
  document.getElementById("ask-question").focus();
}

function renderAnswer(body) {
  if (body.abstained) {
    return `<div class="notfound" id="answer"><h3>Not found</h3><p>The documents do not answer this question well enough to quote an answer (${escapeHtml(body.reason)}).</p></div>
      ${body.passages.length ? `<h3>Closest passages</h3>${passageList(body.passages.slice(0, 5))}` : ""}`;
  }
  const sentences = body.citations.map((c) => `<span class="sentence">${escapeHtml(c.quote)}<sup><a href="#citation-${c.n}" aria-label="citation ${c.n}" data-citation="${c.n}">[${c.n}]</a></sup></span>`).join(" ");
  return `<div class="answer" id="answer"><h3>Answer</h3><p>${sentences}</p></div>
    <h3>Citations</h3>${citationList(body.citations)}`;
}

async function viewSearch(params) {
  await loadAuthorities();
  main().innerHTML = `
    <h2>Search</h2>
    <form class="query" id="search-form">
      <label for="search-q">Search for <input type="search" id="search-q" required maxlength="500" value="${escapeHtml(params.get("q") || "")}"></label>
      ${filterControls("search")}
      <div class="row">
        <label for="search-sort">Sort by <select id="search-sort"><option value="relevance">Relevance</option><option value="date">Date (newest first)</option></select></label>
        <button type="submit">Search</button>
      </div>
    </form>
    <div class="layout"><aside class="facets" id="facets" aria-label="Refine"></aside><section id="search-results" aria-live="polite"></section></div>`;
  const run = async () => {
    const filters = readFilters("search");
    const query = new URLSearchParams({ q: document.getElementById("search-q").value, k: "20", sort: document.getElementById("search-sort").value });
    filters.authority.forEach((a) => query.append("authority", a));
    filters.type.forEach((t) => query.append("type", t));
    if (filters.since) query.set("since", filters.since);
    if (filters.until) query.set("until", filters.until);
    const target = document.getElementById("search-results");
    try {
      const body = await api(`/search?${query}`);
      target.innerHTML = body.results.length ? `<p>${body.total} passages</p>${passageList(body.results, queryTerms(body.query))}` : "<p>No passages found.</p>";
      document.getElementById("facets").innerHTML = renderFacets(body.facets);
      announce(`${body.total} passages found`);
    } catch (error) {
      target.innerHTML = `<p class="error" role="alert">${escapeHtml(error.message)}</p>`;
    }
  };
  document.getElementById("search-form").addEventListener("submit", (event) => { event.preventDefault(); run(); });
  document.getElementById("facets").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-facet]");
    if (!button) return;
    const select = document.getElementById(button.dataset.facet === "authority" ? "search-authority" : "search-type");
    [...select.options].forEach((o) => { o.selected = o.value === button.dataset.value; });
    run();
  });
  if (params.get("q")) run();
}

function renderFacets(facets) {
  const block = (key, title) => `<h3>${title}</h3><ul>${Object.entries(facets[key]).map(([value, count]) =>
    `<li><button type="button" data-facet="${key}" data-value="${escapeHtml(value)}">${escapeHtml(value.replace("_", " "))}</button> (${count})</li>`).join("")}</ul>`;
  return block("authority", "Authority") + block("doc_type", "Document type");
}

async function viewCompare() {
  const names = await loadAuthorities();
  main().innerHTML = `
    <h2>Compare authorities</h2>
    <form class="query" id="compare-form">
      <label for="compare-question">Question <input type="search" id="compare-question" required minlength="3" maxlength="500" placeholder="How did the council respond to an inadequate Ofsted judgement?"></label>
      <fieldset><legend>Authorities (two or more)</legend><div class="checks">
        ${names.map((a, i) => `<label><input type="checkbox" name="compare-authority" value="${escapeHtml(a.name)}" id="compare-a-${i}"> ${escapeHtml(a.name)}</label>`).join("")}
      </div></fieldset>
      <div><button type="submit">Compare</button></div>
    </form>
    <section id="compare-result" aria-live="polite"></section>`;
  document.getElementById("compare-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = [...document.querySelectorAll("input[name=compare-authority]:checked")].map((c) => c.value);
    const target = document.getElementById("compare-result");
    if (chosen.length < 2) { target.innerHTML = '<p class="error" role="alert">Choose at least two authorities.</p>'; return; }
    target.innerHTML = "<p>Asking each authority's documents…</p>";
    try {
      const body = await api("/compare", { method: "POST", body: JSON.stringify({ question: document.getElementById("compare-question").value, authorities: chosen }) });
      target.innerHTML = `<table id="compare-table"><caption class="visually-hidden">Answers by authority</caption>
        <thead><tr><th scope="col">Authority</th><th scope="col">Answer</th><th scope="col">Citations</th></tr></thead><tbody>
        ${body.rows.map((row) => `<tr><th scope="row" data-label="Authority">${escapeHtml(row.authority)}</th>
          <td data-label="Answer">${row.abstained ? `<em>Not found in this authority's documents.</em>` : row.citations.map((c) => `${escapeHtml(c.quote)} <sup>[${c.n}]</sup>`).join(" ")}</td>
          <td data-label="Citations">${row.citations.map((c) => `<div>[${c.n}] ${escapeHtml(c.title || "")} <span class="meta">${describe(c)}</span> ${documentLink(c, "read")}</div>`).join("")}</td></tr>`).join("")}
        </tbody></table>`;
      announce("Comparison ready");
    } catch (error) {
      target.innerHTML = `<p class="error" role="alert">${escapeHtml(error.message)}</p>`;
    }
  });
}

async function viewCommitments() {
  const names = await loadAuthorities();
  main().innerHTML = `
    <h2>Commitments register</h2>
    <p>Undertakings recorded in minutes, and whether a later document of the same authority reports back on them.</p>
    <form class="query" id="commitments-form"><div class="row">
      <label for="commitments-authority">Authority <select id="commitments-authority"><option value="">Any</option>${names.map((a) => `<option>${escapeHtml(a.name)}</option>`).join("")}</select></label>
      <label for="commitments-status">Status <select id="commitments-status"><option value="">Any</option><option value="evidenced">Evidenced</option><option value="overdue">Overdue</option><option value="open">Open</option></select></label>
      <label for="commitments-who">Who <input id="commitments-who" placeholder="Director"></label>
      <button type="submit">Show</button></div>
    </form>
    <section id="commitments-result" aria-live="polite"></section>`;
  const run = async () => {
    const query = new URLSearchParams();
    const authority = document.getElementById("commitments-authority").value;
    const status = document.getElementById("commitments-status").value;
    const who = document.getElementById("commitments-who").value.trim();
    if (authority) query.set("authority", authority);
    if (status) query.set("status", status);
    if (who) query.set("who", who);
    const target = document.getElementById("commitments-result");
    try {
      const body = await api(`/commitments?${query}`);
      target.innerHTML = `<p>${body.total} commitments; deadlines judged as of ${escapeHtml(body.as_of)}.</p>
        <table id="commitments-table"><thead><tr><th scope="col">Made</th><th scope="col">Who</th><th scope="col">Commitment</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">Follow-up</th></tr></thead><tbody>
        ${body.commitments.map((c) => `<tr>
          <td data-label="Made">${escapeHtml(c.citation.authority || "")}<br><span class="meta">${escapeHtml(c.citation.body || "")} ${escapeHtml(c.citation.date || "date unknown")}</span></td>
          <td data-label="Who">${escapeHtml(c.who || "not stated")}</td>
          <td data-label="Commitment">${escapeHtml(c.what)}<br>${documentLink(c.citation, "read in the minutes")}</td>
          <td data-label="Due">${escapeHtml(c.due_text || "not stated")}${c.due_date ? `<br><span class="meta">by ${escapeHtml(c.due_date)}</span>` : ""}</td>
          <td data-label="Status"><span class="status ${c.status}">${c.status}</span></td>
          <td data-label="Follow-up">${c.evidence ? `${escapeHtml(c.evidence.quote.slice(0, 200))}… ${documentLink(c.evidence, "read the follow-up")}` : `<span class="meta">none found in ${c.later_documents_searched} later documents</span>`}</td>
        </tr>`).join("")}</tbody></table>`;
      announce(`${body.total} commitments`);
    } catch (error) {
      target.innerHTML = `<p class="error" role="alert">${escapeHtml(error.message)}</p>`;
    }
  };
  document.getElementById("commitments-form").addEventListener("submit", (event) => { event.preventDefault(); run(); });
  run();
}

async function viewAuthority(name) {
  const names = await loadAuthorities();
  main().innerHTML = `
    <h2>Authority</h2>
    <form class="query" id="authority-form"><div class="row">
      <label for="authority-name">Authority <select id="authority-name">${names.map((a) => `<option ${a.name === name ? "selected" : ""}>${escapeHtml(a.name)}</option>`).join("")}</select></label>
      <button type="submit">Show</button></div></form>
    <section id="authority-result" aria-live="polite"></section>`;
  document.getElementById("authority-form").addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = `#/authority/${encodeURIComponent(document.getElementById("authority-name").value)}`;
  });
  if (!name) return;
  const target = document.getElementById("authority-result");
  try {
    const body = await api(`/authorities/${encodeURIComponent(name)}`);
    target.innerHTML = `
      <h3>${escapeHtml(body.name)}</h3>
      <p class="meta">${escapeHtml([body.kind, body.region].filter(Boolean).join(", "))} · ${Object.entries(body.documents).map(([k, v]) => `${v} ${k.replace("_", " ")}`).join(", ")}</p>
      <h4>Ofsted judgements over time</h4>
      ${gradeChart(body.inspections)}
      <table id="inspections-table"><thead><tr><th scope="col">Published</th><th scope="col">Inspection</th><th scope="col">Overall</th><th scope="col">Lead inspector</th><th scope="col">Source</th></tr></thead><tbody>
      ${body.inspections.map((i) => `<tr><td data-label="Published">${escapeHtml(i.published || "")}</td>
        <td data-label="Inspection">${escapeHtml([i.inspection_start, i.inspection_end].filter(Boolean).join(" to "))}</td>
        <td data-label="Overall" class="grade-${(i.grades.overall_effectiveness || "").split(" ")[0]}">${escapeHtml(i.grades.overall_effectiveness || "not stated")}</td>
        <td data-label="Lead inspector">${escapeHtml(i.lead_inspector || "")}</td>
        <td data-label="Source">${i.citation ? `“${escapeHtml(i.citation.quote)}” ${documentLink(i.citation, "p. 1")}` : ""}</td></tr>`).join("")}
      </tbody></table>
      <h4>Timeline of a topic</h4>
      <form class="query" id="timeline-form"><div class="row"><label for="timeline-q">Topic <input type="search" id="timeline-q" required placeholder="caseloads"></label><button type="submit">Show timeline</button></div></form>
      <ol id="timeline" class="results"></ol>`;
    document.getElementById("timeline-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const q = document.getElementById("timeline-q").value;
      const timeline = await api(`/timeline?${new URLSearchParams({ authority: body.name, q })}`);
      document.getElementById("timeline").innerHTML = timeline.entries.map((e) => `<li><strong>${escapeHtml(e.date)}</strong> ${escapeHtml(e.citation.title || "")} <span class="meta">${describe(e.citation)}</span>
        <blockquote>${highlight(e.citation.quote, queryTerms(q))}</blockquote>${documentLink(e.citation)}</li>`).join("") || "<li>No dated mentions found.</li>";
      announce(`${timeline.entries.length} dated mentions`);
    });
  } catch (error) {
    target.innerHTML = `<p class="error" role="alert">${escapeHtml(error.message)}</p>`;
  }
}

function gradeChart(inspections) {
  const points = inspections.filter((i) => GRADE_LEVEL[i.grades.overall_effectiveness] && i.published);
  if (!points.length) return "<p class=\"meta\">No graded inspections stored.</p>";
  const width = 560, height = 180, left = 150, right = 20, top = 10, bottom = 30;
  const times = points.map((p) => Date.parse(p.published));
  const min = Math.min(...times), max = Math.max(...times);
  const x = (t) => left + (max === min ? (width - left - right) / 2 : ((t - min) / (max - min)) * (width - left - right));
  const y = (level) => top + (4 - level) * ((height - top - bottom) / 3);
  const labels = Object.entries(GRADE_LEVEL).map(([g, l]) => `<text x="${left - 8}" y="${y(l) + 4}" text-anchor="end" font-size="12">${g}</text>`).join("");
  const path = points.map((p, i) => `${i ? "L" : "M"}${x(times[i]).toFixed(1)},${y(GRADE_LEVEL[p.grades.overall_effectiveness]).toFixed(1)}`).join(" ");
  const dots = points.map((p, i) => `<circle cx="${x(times[i]).toFixed(1)}" cy="${y(GRADE_LEVEL[p.grades.overall_effectiveness]).toFixed(1)}" r="5" fill="#1d4f91"><title>${p.published}: ${p.grades.overall_effectiveness}</title></circle>
    <text x="${x(times[i]).toFixed(1)}" y="${height - 8}" text-anchor="middle" font-size="11">${p.published.slice(0, 4)}</text>`).join("");
  const summary = points.map((p) => `${p.published}: ${p.grades.overall_effectiveness}`).join("; ");
  return `<svg class="chart" id="grade-chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="Overall effectiveness over time. ${escapeHtml(summary)}">
    ${labels}<path d="${path}" fill="none" stroke="#1d4f91" stroke-width="2"/>${dots}</svg>`;
}

async function viewDocument(id, params) {
  const start = params.get("start"), end = params.get("end");
  const query = start !== null && end !== null ? `?start=${start}&end=${end}` : "";
  try {
    const body = await api(`/documents/${id}${query}`);
    let text = escapeHtml(body.text);
    if (body.highlight) {
      text = `${escapeHtml(body.text.slice(0, body.highlight.start))}<mark id="highlight" tabindex="-1">${escapeHtml(body.text.slice(body.highlight.start, body.highlight.end))}</mark>${escapeHtml(body.text.slice(body.highlight.end))}`;
    }
    main().innerHTML = `<p><a href="javascript:history.back()">← Back</a></p>
      <h2>${escapeHtml(body.title || "Document")}</h2>
      <p class="meta">${describe(body)} · ${escapeHtml((body.doc_type || "").replace("_", " "))} · ${body.url ? `<a href="${escapeHtml(body.url)}" rel="noreferrer">original</a>` : escapeHtml(body.sources[0] || "")}</p>
      <div class="document-text" id="document-text">${text}</div>`;
    const mark = document.getElementById("highlight");
    if (mark) { mark.scrollIntoView({ block: "center" }); mark.focus({ preventScroll: true }); announce("Quoted passage highlighted"); }
  } catch (error) {
    main().innerHTML = `<p class="error" role="alert">${escapeHtml(error.message)}</p>`;
  }
}

// -- routing -------------------------------------------------------------------------------------

async function route() {
  const [path, search] = (location.hash.slice(1) || "/ask").split("?");
  const params = new URLSearchParams(search || "");
  const [, view, arg] = path.split("/");
  document.querySelectorAll("nav a").forEach((a) => {
    if (a.dataset.view === (view || "ask")) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  try {
    if (view === "search") await viewSearch(params);
    else if (view === "compare") await viewCompare();
    else if (view === "commitments") await viewCommitments();
    else if (view === "authority") await viewAuthority(arg ? decodeURIComponent(arg) : "");
    else if (view === "document") await viewDocument(arg, params);
    else await viewAsk(params);
  } catch (error) {
    main().innerHTML = `<p class="error" role="alert">${escapeHtml(error.message)}</p>`;
  }
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", route);
