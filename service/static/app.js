// scrutiny's page: plain JavaScript, no build step, no external resources.
//
// Everything the API returns is data, never markup: stored metadata (titles, dates, grades, URLs)
// may be hostile even though ingest validates it, so every value put into an HTML string goes
// through escapeHtml, every href through a scheme check (http/https only), and nothing here uses
// inline script or style, so the page runs under a Content-Security-Policy of 'self' alone.
"use strict";

const main = () => document.getElementById("main");
const TYPES = [["minutes", "Minutes"], ["ofsted_report", "Ofsted reports"], ["news", "News"], ["report", "Reports"]];
const GRADE_LEVEL = { "inadequate": 1, "requires improvement": 2, "good": 3, "outstanding": 4 };
const STATUSES = new Set(["evidenced", "overdue", "open", "no_later_papers"]);
// The key lives in sessionStorage, not localStorage: it is dropped when the tab or browser is
// closed, so a key typed on a shared or borrowed computer (a council library, a family laptop)
// is not left on disk for the next person, and it is not shared with other tabs. (No storage
// protects a key from script injected into the page; that is what the escaping is for.)
const KEY_STORAGE = "scrutiny.access-key";
let authorities = null;
let session = null;  // the /whoami answer while signed in (or open); null while signed out
let sessionChecked = false;  // false until the first /whoami has answered

function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

// An address safe to link to: http or https only (never javascript:, data:, vbscript: ...).
// `relative` allows a path on this site, as the API gives for a paper's original.
function safeHref(value, { relative = false } = {}) {
  if (typeof value !== "string" || !value.trim()) return null;
  let parsed;
  try {
    parsed = relative ? new URL(value.trim(), location.href) : new URL(value.trim());
  } catch {
    return null;
  }
  return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
}

function announce(message) { document.getElementById("status").textContent = message; }

// -- access keys ---------------------------------------------------------------------------------

class SignInNeeded extends Error {}

function storedKey() {
  try { return sessionStorage.getItem(KEY_STORAGE); } catch { return null; }
}

function forgetKey() {
  try { sessionStorage.removeItem(KEY_STORAGE); } catch { /* storage disabled: nothing kept */ }
}

function tooManyRequests(response) {
  const wait = Number.parseInt(response.headers.get("Retry-After") || "", 10);
  return new Error(`Too many requests — try again in ${Number.isFinite(wait) && wait > 0 ? wait : "a few"} seconds`);
}

async function readJson(response) {
  try { return await response.json(); } catch { return null; }
}

async function api(path, options = {}) {
  const headers = { "Content-Type": "application/json", ...(options.headers || {}) };
  const key = storedKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401) {
    // No key, or one that was revoked while the page was open: back to the sign-in form.
    forgetKey();
    showSignIn(key ? "Your access key is no longer accepted (it may have been withdrawn). Sign in again with a current key." : "", true);
    throw new SignInNeeded("sign in needed");
  }
  if (response.status === 429) throw tooManyRequests(response);
  const body = await readJson(response);
  if (!response.ok) throw new Error(body && body.error && body.error.message ? String(body.error.message) : `HTTP ${response.status}`);
  if (body === null) throw new Error("The service sent a reply the page could not read.");
  return body;
}

// An error as a message in `target`; nothing when the sign-in form has already replaced the view.
function showError(target, error) {
  if (error instanceof SignInNeeded) return;
  target.innerHTML = `<p class="error" role="alert">${escapeHtml(error.message)}</p>`;
}

function renderSession() {
  const box = document.getElementById("session");
  box.replaceChildren();
  document.querySelector("header nav").hidden = session === null;
  if (session === null) return;
  const text = document.createElement("span");
  if (session.open) {
    text.textContent = "Open access (this computer only)";
    box.append(text);
    return;
  }
  text.textContent = `Signed in as ${session.name} (${session.role})`;
  const signOut = document.createElement("button");
  signOut.type = "button";
  signOut.id = "sign-out";
  signOut.className = "secondary";
  signOut.textContent = "Sign out";
  signOut.addEventListener("click", () => {
    forgetKey();
    showSignIn("You have signed out.", false);
  });
  box.append(text, " ", signOut);
}

function showSignIn(message = "", isError = true) {
  session = null;
  sessionChecked = true;
  authorities = null;  // what a caller may read depends on the key's role
  renderSession();
  main().innerHTML = `
    <section class="signin" aria-labelledby="signin-title">
      <h2 id="signin-title">Sign in</h2>
      <p>This service needs an access key. Ask the officer who runs it if you do not have one.</p>
      <form class="query signin-form" id="signin-form" novalidate>
        <label for="signin-key">Access key <input type="password" id="signin-key" name="key" required autocomplete="off" spellcheck="false"></label>
        <p class="${isError ? "error" : "meta"}" id="signin-message" role="${isError ? "alert" : "status"}">${escapeHtml(message)}</p>
        <div><button type="submit">Sign in</button></div>
      </form>
    </section>`;
  const form = document.getElementById("signin-form");
  const input = document.getElementById("signin-key");
  const say = (text, isError = true) => {
    const line = document.getElementById("signin-message");
    line.className = isError ? "error" : "meta";
    line.setAttribute("role", isError ? "alert" : "status");
    line.textContent = text;
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) { say("Enter your access key."); input.focus(); return; }
    say("Checking the key…", false);
    try {
      const response = await fetch("/whoami", { headers: { Authorization: `Bearer ${key}` } });
      if (response.status === 401) { say("That access key was not recognised. Check it and try again."); input.select(); return; }
      if (response.status === 429) { say(tooManyRequests(response).message); return; }
      const who = await readJson(response);
      if (!response.ok || who === null) { say(`The service could not check the key (HTTP ${response.status}).`); return; }
      try { sessionStorage.setItem(KEY_STORAGE, key); } catch { say("This browser will not keep the key for this tab (storage is disabled)."); return; }
      session = who;
      renderSession();
      announce(`Signed in as ${who.name}`);
      await route();
    } catch (error) {
      say(`The service could not be reached: ${error.message}`);
    }
  });
  input.focus();
}

async function startSession() {
  try {
    session = await api("/whoami");
  } catch (error) {
    if (!(error instanceof SignInNeeded)) showError(main(), error);
    return;
  }
  sessionChecked = true;
  renderSession();
  await route();
}

// -- shared pieces -------------------------------------------------------------------------------

async function loadAuthorities() {
  if (!authorities) authorities = (await api("/authorities")).authorities;
  return authorities;
}

function describe(item) {
  const parts = [item.authority, item.body, item.date, item.page ? `p. ${item.page}` : null].filter(Boolean);
  return escapeHtml(parts.join(" · "));
}

function documentHref(item) {
  const params = new URLSearchParams();
  if (Number.isInteger(item.start) && Number.isInteger(item.end)) {
    params.set("start", String(item.start));
    params.set("end", String(item.end));
  }
  const query = params.toString();
  return `#/document/${encodeURIComponent(item.document_id)}${query ? `?${query}` : ""}`;
}

function documentLink(item, label = "Read in the document") {
  return `<a href="${escapeHtml(documentHref(item))}">${escapeHtml(label)}</a>`;
}

// The web page a passage came from; an address that is not http(s) is shown as text, not linked.
function sourceLink(item) {
  const href = safeHref(item.url);
  if (href) return `<a href="${escapeHtml(href)}" rel="noopener noreferrer">Original source</a>`;
  const shown = item.source || item.url;
  return shown ? `<span class="meta source">${escapeHtml(shown)}</span>` : "";
}

function filterControls(prefix, { multipleAuthorities = true } = {}) {
  const options = (authorities || []).map((a) => `<option value="${escapeHtml(a.name)}">${escapeHtml(a.name)} (${escapeHtml(a.documents)})</option>`).join("");
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
    <li id="citation-${escapeHtml(c.n)}" tabindex="-1">
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

// The text escaped, with words starting with a query term marked. Matching runs on the raw text
// and each piece is escaped, so a term never matches inside an entity such as &amp;.
function highlight(text, terms) {
  const raw = String(text ?? "");
  const words = terms.filter((t) => t.length > 2).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (!words.length) return escapeHtml(raw);
  let html = "", last = 0;
  for (const match of raw.matchAll(new RegExp(`\\b(?:${words.join("|")})\\w*`, "gi"))) {
    html += `${escapeHtml(raw.slice(last, match.index))}<mark>${escapeHtml(match[0])}</mark>`;
    last = match.index + match[0].length;
  }
  return html + escapeHtml(raw.slice(last));
}

function queryTerms(query) {
  const stop = new Set(["what", "did", "the", "and", "for", "with", "how", "was", "were", "about", "from", "that", "this", "which", "when", "who"]);
  return String(query ?? "").toLowerCase().match(/[a-z0-9]+/g)?.filter((w) => !stop.has(w)) ?? [];
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
  const target = document.getElementById("ask-result");
  document.getElementById("ask-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    target.innerHTML = "<p>Searching the documents…</p>";
    try {
      const body = await api("/ask", { method: "POST", body: JSON.stringify({ question: document.getElementById("ask-question").value, filters: readFilters("ask"), k: 5 }) });
      target.innerHTML = renderAnswer(body);
      announce(body.abstained ? "Not found in the documents" : `Answer with ${body.citations.length} citations`);
    } catch (error) {
      showError(target, error);
    }
  });
  // A citation marker moves to its citation without changing the address (the hash routes views).
  target.addEventListener("click", (event) => {
    const marker = event.target.closest("a[data-citation]");
    if (!marker) return;
    event.preventDefault();
    const cited = document.getElementById(`citation-${marker.dataset.citation}`);
    if (cited) { cited.scrollIntoView({ block: "center" }); cited.focus({ preventScroll: true }); }
  });
  document.getElementById("ask-question").focus();
}

function renderAnswer(body) {
  if (body.abstained) {
    return `<div class="notfound" id="answer"><h3>Not found</h3><p>The documents do not answer this question well enough to quote an answer (${escapeHtml(body.reason)}).</p></div>
      ${body.passages.length ? `<h3>Closest passages</h3>${passageList(body.passages.slice(0, 5))}` : ""}`;
  }
  const sentences = body.citations.map((c) => {
    const n = escapeHtml(c.n);
    return `<span class="sentence">${escapeHtml(c.quote)}<sup><a href="#citation-${n}" aria-label="citation ${n}" data-citation="${n}">[${n}]</a></sup></span>`;
  }).join(" ");
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
      target.innerHTML = body.results.length
        ? `<p>${escapeHtml(body.total)} passages</p>${passageList(body.results, queryTerms(body.query))}`
        : `<p>${escapeHtml(body.message || "No passages found.")}</p>`;
      document.getElementById("facets").innerHTML = renderFacets(body.facets);
      announce(`${body.total} passages found`);
    } catch (error) {
      showError(target, error);
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
  const block = (key, title) => `<h3>${title}</h3><ul>${Object.entries(facets[key] || {}).map(([value, count]) =>
    `<li><button type="button" data-facet="${key}" data-value="${escapeHtml(value)}">${escapeHtml(value.replace("_", " "))}</button> (${escapeHtml(count)})</li>`).join("")}</ul>`;
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
          <td data-label="Answer">${row.abstained ? `<em>Not found in this authority's documents.</em>` : row.citations.map((c) => `${escapeHtml(c.quote)} <sup>[${escapeHtml(c.n)}]</sup>`).join(" ")}</td>
          <td data-label="Citations">${row.citations.map((c) => `<div>[${escapeHtml(c.n)}] ${escapeHtml(c.title || "")} <span class="meta">${describe(c)}</span> ${documentLink(c, "read")}</div>`).join("")}</td></tr>`).join("")}
        </tbody></table>`;
      announce("Comparison ready");
    } catch (error) {
      showError(target, error);
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
      <label for="commitments-status">Status <select id="commitments-status"><option value="">Any</option><option value="evidenced">Evidenced</option><option value="overdue">Overdue</option><option value="open">Open</option><option value="no_later_papers">No later papers held</option></select></label>
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
      target.innerHTML = `<p>${escapeHtml(body.total)} commitments; deadlines judged as of ${escapeHtml(body.as_of)}.</p>
        <table id="commitments-table"><thead><tr><th scope="col">Made</th><th scope="col">Who</th><th scope="col">Commitment</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">Follow-up</th></tr></thead><tbody>
        ${body.commitments.map((c) => `<tr>
          <td data-label="Made">${escapeHtml(c.citation.authority || "")}<br><span class="meta">${escapeHtml(c.citation.body || "")} ${escapeHtml(c.citation.date || "date unknown")}</span></td>
          <td data-label="Who">${escapeHtml(c.who || "not stated")}</td>
          <td data-label="Commitment">${escapeHtml(c.what)}<br>${documentLink(c.citation, "read in the minutes")}</td>
          <td data-label="Due">${escapeHtml(c.due_text || "not stated")}${c.due_date ? `<br><span class="meta">by ${escapeHtml(c.due_date)}</span>` : ""}</td>
          <td data-label="Status"><span class="status ${STATUSES.has(c.status) ? c.status : ""}">${escapeHtml(String(c.status).replace(/_/g, " "))}</span></td>
          <td data-label="Follow-up">${c.evidence ? `${escapeHtml(String(c.evidence.quote).slice(0, 200))}… ${documentLink(c.evidence, "read the follow-up")}` : `<span class="meta">none found in ${escapeHtml(c.later_documents_searched)} later documents</span>`}</td>
        </tr>`).join("")}</tbody></table>`;
      announce(`${body.total} commitments`);
    } catch (error) {
      showError(target, error);
    }
  };
  document.getElementById("commitments-form").addEventListener("submit", (event) => { event.preventDefault(); run(); });
  run();
}

// The class of a known grade ("grade-requires"); nothing for anything else.
function gradeClass(grade) {
  return GRADE_LEVEL[grade] ? `grade-${grade.split(" ")[0]}` : "";
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
  let body;
  try {
    body = await api(`/authorities/${encodeURIComponent(name)}`);
  } catch (error) {
    showError(target, error);
    return;
  }
  const counts = Object.entries(body.documents || {}).map(([k, v]) => `${v} ${k.replace("_", " ")}`).join(", ");
  target.innerHTML = `
    <h3>${escapeHtml(body.name)}</h3>
    <p class="meta">${escapeHtml([body.kind, body.region].filter(Boolean).join(", "))} · ${escapeHtml(counts)}</p>
    <h4>Ofsted judgements over time</h4>
    ${gradeChart(body.inspections)}
    <table id="inspections-table"><thead><tr><th scope="col">Published</th><th scope="col">Inspection</th><th scope="col">Overall</th><th scope="col">Lead inspector</th><th scope="col">Source</th></tr></thead><tbody>
    ${body.inspections.map((i) => {
      const overall = (i.grades || {}).overall_effectiveness;
      return `<tr><td data-label="Published">${escapeHtml(i.published || "")}</td>
      <td data-label="Inspection">${escapeHtml([i.inspection_start, i.inspection_end].filter(Boolean).join(" to "))}</td>
      <td data-label="Overall" class="${gradeClass(overall)}">${escapeHtml(overall || "not stated")}</td>
      <td data-label="Lead inspector">${escapeHtml(i.lead_inspector || "")}</td>
      <td data-label="Source">${i.citation ? `“${escapeHtml(i.citation.quote)}” ${documentLink(i.citation, "p. 1")}` : ""}</td></tr>`;
    }).join("")}
    </tbody></table>
    <h4>Timeline of a topic</h4>
    <form class="query" id="timeline-form"><div class="row"><label for="timeline-q">Topic <input type="search" id="timeline-q" required placeholder="caseloads"></label><button type="submit">Show timeline</button></div></form>
    <ol id="timeline" class="results"></ol>`;
  document.getElementById("timeline-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const q = document.getElementById("timeline-q").value;
    const list = document.getElementById("timeline");
    try {
      const timeline = await api(`/timeline?${new URLSearchParams({ authority: body.name, q })}`);
      list.innerHTML = timeline.entries.map((e) => `<li><strong>${escapeHtml(e.date)}</strong> ${escapeHtml(e.citation.title || "")} <span class="meta">${describe(e.citation)}</span>
        <blockquote>${highlight(e.citation.quote, queryTerms(q))}</blockquote>${documentLink(e.citation)}</li>`).join("") || "<li>No dated mentions found.</li>";
      announce(`${timeline.entries.length} dated mentions`);
    } catch (error) {
      if (!(error instanceof SignInNeeded)) list.innerHTML = `<li class="error" role="alert">${escapeHtml(error.message)}</li>`;
    }
  });
}

// Overall effectiveness over time as an SVG line. Only inspections with a known grade and a date
// the browser can place are drawn; every text in it is escaped and every coordinate is a number.
function gradeChart(inspections) {
  const points = inspections
    .map((i) => ({ published: String(i.published ?? ""), grade: (i.grades || {}).overall_effectiveness, time: Date.parse(i.published) }))
    .filter((p) => GRADE_LEVEL[p.grade] && Number.isFinite(p.time));
  if (!points.length) return '<p class="meta">No graded inspections stored.</p>';
  const width = 560, height = 180, left = 150, right = 20, top = 10, bottom = 30;
  const times = points.map((p) => p.time);
  const min = Math.min(...times), max = Math.max(...times);
  const x = (t) => (left + (max === min ? (width - left - right) / 2 : ((t - min) / (max - min)) * (width - left - right))).toFixed(1);
  const y = (level) => (top + (4 - level) * ((height - top - bottom) / 3)).toFixed(1);
  const labels = Object.entries(GRADE_LEVEL).map(([g, l]) => `<text x="${left - 8}" y="${Number(y(l)) + 4}" text-anchor="end" font-size="12">${escapeHtml(g)}</text>`).join("");
  const path = points.map((p, i) => `${i ? "L" : "M"}${x(p.time)},${y(GRADE_LEVEL[p.grade])}`).join(" ");
  const dots = points.map((p) => `<circle cx="${x(p.time)}" cy="${y(GRADE_LEVEL[p.grade])}" r="5" fill="#1d4f91"><title>${escapeHtml(`${p.published}: ${p.grade}`)}</title></circle>
    <text x="${x(p.time)}" y="${height - 8}" text-anchor="middle" font-size="11">${escapeHtml(new Date(p.time).getUTCFullYear())}</text>`).join("");
  const summary = points.map((p) => `${p.published}: ${p.grade}`).join("; ");
  return `<svg class="chart" id="grade-chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`Overall effectiveness over time. ${summary}`)}">
    ${labels}<path d="${path}" fill="none" stroke="#1d4f91" stroke-width="2"/>${dots}</svg>`;
}

async function viewDocument(id, params) {
  const query = new URLSearchParams();
  for (const name of ["start", "end"]) if (/^\d+$/.test(params.get(name) || "")) query.set(name, params.get(name));
  try {
    const body = await api(`/documents/${encodeURIComponent(id)}${query.toString() ? `?${query}` : ""}`);
    const fullText = String(body.text ?? "");
    let text = escapeHtml(fullText);
    if (body.highlight) {
      const { start, end } = body.highlight;
      text = `${escapeHtml(fullText.slice(0, start))}<mark id="highlight" tabindex="-1">${escapeHtml(fullText.slice(start, end))}</mark>${escapeHtml(fullText.slice(end))}`;
    }
    // The paper itself: the service's own link to it first, else its web address (http/https only).
    const original = safeHref(body.original_url, { relative: true }) || safeHref(body.url);
    const sourceText = (body.sources || [])[0] || body.url || "";
    main().innerHTML = `<p><button type="button" class="back" id="back">← Back</button></p>
      <h2>${escapeHtml(body.title || "Document")}</h2>
      <p class="meta">${describe(body)} · ${escapeHtml((body.doc_type || "").replace("_", " "))} · ${original ? `<a href="${escapeHtml(original)}" rel="noopener noreferrer" id="original-link">original</a>` : `<span class="source">${escapeHtml(sourceText)}</span>`}</p>
      <div class="document-text" id="document-text">${text}</div>`;
    // A button, not a javascript: link (the Content-Security-Policy forbids those).
    document.getElementById("back").addEventListener("click", () => {
      if (history.length > 1) history.back();
      else location.hash = "#/search";
    });
    const mark = document.getElementById("highlight");
    if (mark) { mark.scrollIntoView({ block: "center" }); mark.focus({ preventScroll: true }); announce("Quoted passage highlighted"); }
  } catch (error) {
    showError(main(), error);
  }
}

// -- routing -------------------------------------------------------------------------------------

async function route() {
  if (session === null) {
    // Signed out: the sign-in form stays whatever the address says (and before the first
    // /whoami answers, startSession decides what to show).
    if (sessionChecked && !document.getElementById("signin-form")) showSignIn();
    return;
  }
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
    else if (view === "document") await viewDocument(decodeURIComponent(arg || ""), params);
    else await viewAsk(params);
  } catch (error) {
    showError(main(), error);
  }
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", startSession);
