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
let coverage = null;
let appNavigations = 0;  // route changes since the page loaded: "Back" stays inside the app when > 0
let requestSeq = 0;  // the newest request; a late answer to an older one is ignored
let routeSeq = 0;  // the newest route; a view still loading for an older one draws nothing
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

// UK readers expect "3 December 2019", not 2019-12-03; anything that is not an ISO date stays as it is.
const UK_DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
function ukDate(value) {
  const text = String(value ?? "");
  const time = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  return Number.isFinite(time) ? UK_DATE.format(new Date(time)) : text;
}

// The API's error codes in plain English; other codes keep the API's own message.
const PLAIN_ERRORS = {
  invalid_date_range: "The From date is after the To date. Swap them or clear one.",
  unknown_authority: "That authority is not one of England's councils. Choose one from the list.",
  unknown_body: "No papers from that committee are held. Remove the committee filter.",
  document_not_found: "That document is not in the collection (or is not open to your access key).",
  original_not_found: "The original paper is no longer where it was indexed.",
  body_too_large: "That request is too long. Shorten the question.",
  internal_error: "Something went wrong in the service. Try again; if it keeps happening, tell the officer who runs it.",
};
class ApiError extends Error {
  constructor(message, code) { super(message); this.code = code; }
}
const UNREACHABLE = "The service could not be reached. Check the connection and try again.";

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
  let response;
  try {
    response = await fetch(path, { ...options, headers });
  } catch {
    throw new ApiError(UNREACHABLE, "network");
  }
  if (response.status === 401) {
    // No key, or one that was revoked while the page was open: back to the sign-in form.
    forgetKey();
    showSignIn(key ? "Your access key is no longer accepted (it may have been withdrawn). Sign in again with a current key." : "", true);
    throw new SignInNeeded("sign in needed");
  }
  if (response.status === 429) throw tooManyRequests(response);
  const body = await readJson(response);
  if (!response.ok) {
    const code = body && body.error ? String(body.error.code) : "";
    throw new ApiError(PLAIN_ERRORS[code] || (body && body.error && body.error.message ? String(body.error.message) : UNREACHABLE), code);
  }
  if (body === null) throw new ApiError(UNREACHABLE, "not_json");
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
  const parts = [item.authority, item.body, ukDate(item.date), item.page ? `p. ${item.page}` : null].filter(Boolean);
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
  // Never a server path: the document view links the paper itself. A web address that is not
  // http(s) is shown as text only.
  const shown = item.url;
  return shown ? `<span class="meta source">${escapeHtml(shown)}</span>` : "";
}

function filterControls(prefix, { multipleAuthorities = true } = {}) {
  const options = (authorities || []).map((a) => `<option value="${escapeHtml(a.name)}">${escapeHtml(a.name)} (${escapeHtml(a.documents)})</option>`).join("");
  return `
    <div class="row">
      <label for="${prefix}-authority">Authority${multipleAuthorities ? ' <span class="meta hint">(click to choose several; type a name to jump to it)</span>' : ""}
        <select id="${prefix}-authority" ${multipleAuthorities ? "multiple" : ""}>${multipleAuthorities ? "" : '<option value="">Any</option>'}${options}</select>
      </label>
      <label for="${prefix}-type">Document type
        <select id="${prefix}-type"><option value="">Any</option>${TYPES.map(([v, l]) => `<option value="${v}">${l}</option>`).join("")}</select>
      </label>
      <label for="${prefix}-since">From <input type="date" id="${prefix}-since"></label>
      <label for="${prefix}-until">To <input type="date" id="${prefix}-until"></label>
    </div>`;
}

// In the authority list a plain click chooses or drops one authority (no Ctrl-click needed);
// typing a name still jumps to it, as in any list.
document.addEventListener("mousedown", (event) => {
  const option = event.target.closest("select[multiple] option");
  if (!option) return;
  event.preventDefault();
  option.selected = !option.selected;
  option.parentElement.focus();
  option.parentElement.dispatchEvent(new Event("change", { bubbles: true }));
});

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
      <span class="meta">${escapeHtml(c.lead_in || "")}${c.lead_in ? " · " : ""}${describe(c)}</span>
      <blockquote>${escapeHtml(c.quote)}</blockquote>
      ${[documentLink(c), sourceLink(c), copyButton(c)].filter(Boolean).join(" · ")}
    </li>`).join("")}</ol>`;
}

// "Copy citation": title, body, UK date, page and a link a colleague can open.
function citationText(c) {
  const where = [c.authority, c.body, ukDate(c.date), c.page ? `p. ${c.page}` : null].filter(Boolean).join(", ");
  const link = new URL(documentHref(c), location.href).href;
  return `"${c.quote}" — ${c.title || "Untitled"} (${where}). ${link}${safeHref(c.url) ? ` Source: ${safeHref(c.url)}` : ""}`;
}

function copyButton(c) {
  return `<button type="button" class="link copy" data-copy="${escapeHtml(citationText(c))}">Copy citation</button>`;
}

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  try {
    await navigator.clipboard.writeText(button.dataset.copy);
    announce("Citation copied");
    button.textContent = "Copied";
  } catch {
    announce("This browser would not copy; select the quote and copy it by hand.");
    button.textContent = "Could not copy: select the text instead";
  }
});

function passageList(passages, terms = [], first = 1) {
  return `<ol class="results" start="${escapeHtml(first)}">${passages.map((p) => `
    <li>
      <strong>${escapeHtml(p.title || "Untitled")}</strong> <span class="meta where">${describe(p)}</span>
      <blockquote>${highlight(p.quote, terms)}</blockquote>
      ${[documentLink(p), sourceLink(p), copyButton(p)].filter(Boolean).join(" · ")}
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

// -- state in the address ------------------------------------------------------------------------
// Every view keeps its inputs in the hash route (#/search?q=…&authority=…&sort=date), so Back,
// Forward, reload and a shared link all show the same view and run its request again.

function go(view, params) {
  const query = params.toString();
  const hash = `#/${view}${query ? `?${query}` : ""}`;
  if (location.hash === hash) route();
  else location.hash = hash;
}

// Filters read from the address into a view's controls, and from its controls into the address.
function fillFilters(prefix, params) {
  const select = document.getElementById(`${prefix}-authority`);
  const chosen = new Set(params.getAll("authority"));
  [...select.options].forEach((o) => { o.selected = chosen.has(o.value); });
  document.getElementById(`${prefix}-type`).value = params.get("type") || "";
  document.getElementById(`${prefix}-since`).value = params.get("since") || "";
  document.getElementById(`${prefix}-until`).value = params.get("until") || "";
}

function filterParams(filters, params = new URLSearchParams()) {
  filters.authority.forEach((a) => params.append("authority", a));
  filters.type.forEach((t) => params.append("type", t));
  if (filters.since) params.set("since", filters.since);
  if (filters.until) params.set("until", filters.until);
  return params;
}

function filtersFrom(params) {
  const filters = { authority: params.getAll("authority"), type: params.getAll("type") };
  if (params.get("since")) filters.since = params.get("since");
  if (params.get("until")) filters.until = params.get("until");
  return filters;
}

// The filters in force as removable chips ("Medway ×"); removing one re-runs the view.
function filterChips(view, params) {
  const label = { authority: (v) => v, type: (v) => (TYPES.find(([t]) => t === v) || [v, v])[1], since: (v) => `from ${ukDate(v)}`, until: (v) => `to ${ukDate(v)}`, status: (v) => v.replace(/_/g, " "), who: (v) => `who: ${v}` };
  const chips = [];
  for (const [name, value] of params) {
    if (label[name] && value) chips.push(`<li><button type="button" class="chip" data-chip-name="${escapeHtml(name)}" data-chip-value="${escapeHtml(value)}" aria-label="${escapeHtml(`Remove filter ${label[name](value)}`)}">${escapeHtml(label[name](value))} <span aria-hidden="true">×</span></button></li>`);
  }
  return chips.length ? `<ul class="chips" data-view="${escapeHtml(view)}" aria-label="Filters in force">${chips.join("")}</ul>` : "";
}

function wireChips(container, view, params) {
  container.addEventListener("click", (event) => {
    const chip = event.target.closest("button[data-chip-name]");
    if (!chip) return;
    const next = new URLSearchParams();
    for (const [name, value] of params) if (!(name === chip.dataset.chipName && value === chip.dataset.chipValue) && name !== "offset") next.append(name, value);
    go(view, next);
  });
}

// Runs one request for a view: the old result cleared, a loading line, the form's buttons
// disabled, and the answer shown only if no newer request has started meanwhile.
async function running(form, target, label, work) {
  const mine = ++requestSeq;
  const buttons = form ? [...form.querySelectorAll("button")] : [];
  buttons.forEach((b) => { b.disabled = true; });
  target.setAttribute("aria-busy", "true");
  target.innerHTML = `<p class="loading">${escapeHtml(label)}</p>`;
  try {
    const html = await work();
    if (mine !== requestSeq) return false;
    target.innerHTML = html;
    return true;
  } catch (error) {
    if (mine === requestSeq) showError(target, error);
    return false;
  } finally {
    target.removeAttribute("aria-busy");
    buttons.forEach((b) => { b.disabled = false; });
  }
}

// Focus goes to the new results (their heading), so a keyboard or screen-reader user is there.
function focusResults(target) {
  const heading = target.querySelector("h3, p");
  if (!heading) return;
  heading.setAttribute("tabindex", "-1");
  heading.focus({ preventScroll: window.innerWidth > 700 });
  // On a phone the answer is below the form: bring it into view.
  if (window.innerWidth <= 700) heading.scrollIntoView({ block: "start" });
}

async function coveragePanel() {
  try {
    if (!coverage) coverage = await api("/coverage");
  } catch (error) {
    return "";
  }
  const types = Object.entries(coverage.by_type || {}).map(([t, n]) => `${escapeHtml(n)} ${escapeHtml((TYPES.find(([v]) => v === t) || [t, t.replace(/_/g, " ")])[1].toLowerCase())}`).join(", ");
  return `<details class="coverage" id="coverage"><summary>What's in here</summary>
    <p>${escapeHtml(coverage.documents)} documents (${types}) from ${escapeHtml(coverage.authorities)} authorities,
    dated ${escapeHtml(ukDate(coverage.earliest) || "—")} to ${escapeHtml(ukDate(coverage.latest) || "—")}${coverage.undated ? `; ${escapeHtml(coverage.undated)} undated` : ""}.
    ${coverage.last_ingest ? `Last added ${escapeHtml(ukDate(String(coverage.last_ingest).slice(0, 10)))}.` : ""}
    "Not found" means not found in these papers.</p></details>`;
}

// -- views ---------------------------------------------------------------------------------------

async function viewAsk(params) {
  const seq = routeSeq;
  await loadAuthorities();
  const panel = await coveragePanel();
  if (seq !== routeSeq) return;
  const question = params.get("q") || "";
  main().innerHTML = `
    <h2>Ask a question</h2>
    <form class="query" id="ask-form">
      <label for="ask-question">Question
        <input type="search" id="ask-question" required minlength="3" aria-describedby="ask-count" placeholder="What did the director promise on NFA rates?" value="${escapeHtml(question)}">
      </label>
      <p class="meta" id="ask-count" aria-live="polite"></p>
      ${filterControls("ask")}
      <div><button type="submit">Ask</button></div>
    </form>
    ${panel}
    <section id="ask-result" aria-live="polite"></section>`;
  fillFilters("ask", params);
  const form = document.getElementById("ask-form");
  const input = document.getElementById("ask-question");
  // The limit is the API's (500 characters): said as the member types, never cut silently.
  const count = () => {
    const line = document.getElementById("ask-count");
    const over = input.value.length > 500;
    line.textContent = over ? `${input.value.length} characters: a question can be 500 at most. Shorten it.` : `${input.value.length} of 500 characters`;
    line.className = over ? "error" : "meta";
  };
  input.addEventListener("input", count);
  count();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (input.value.length > 500) { count(); input.focus(); return; }  // refused, never cut
    go("ask", filterParams(readFilters("ask"), new URLSearchParams({ q: input.value })));
  });
  const target = document.getElementById("ask-result");
  // A citation marker moves to its citation without changing the address (the hash routes views).
  target.addEventListener("click", (event) => {
    const marker = event.target.closest("a[data-citation]");
    if (!marker) return;
    event.preventDefault();
    const cited = document.getElementById(`citation-${marker.dataset.citation}`);
    if (cited) { cited.scrollIntoView({ block: "center" }); cited.focus({ preventScroll: true }); }
  });
  if (!question) { input.focus(); return; }
  document.title = `Ask: ${question} — scrutiny`;
  let answer = null;
  const shown = await running(form, target, "Searching the documents…", async () => {
    answer = await api("/ask", { method: "POST", body: JSON.stringify({ question, filters: filtersFrom(params), k: 5 }) });
    return renderAnswer(answer);
  });
  if (shown) {
    announce(answer.abstained ? "Not found in the documents" : `Answer with ${answer.citations.length} citations`);
    focusResults(target);
  }
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

const PAGE_SIZE = 20;

async function viewSearch(params) {
  const seq = routeSeq;
  await loadAuthorities();
  const panel = await coveragePanel();
  if (seq !== routeSeq) return;
  const q = params.get("q") || "";
  main().innerHTML = `
    <h2>Search</h2>
    <form class="query" id="search-form">
      <label for="search-q">Search for <input type="search" id="search-q" required maxlength="500" value="${escapeHtml(q)}"></label>
      ${filterControls("search")}
      <div class="row">
        <label for="search-sort">Sort by <select id="search-sort"><option value="relevance">Relevance</option><option value="date">Date (newest first)</option></select></label>
        <button type="submit">Search</button>
      </div>
    </form>
    <div id="search-chips"></div>
    <div class="layout"><aside class="facets" aria-label="Refine">${panel}<div id="facets"></div></aside><section id="search-results" aria-live="polite"></section></div>`;
  fillFilters("search", params);
  document.getElementById("search-sort").value = params.get("sort") === "date" ? "date" : "relevance";
  const form = document.getElementById("search-form");
  const submit = () => {
    const next = filterParams(readFilters("search"), new URLSearchParams({ q: document.getElementById("search-q").value }));
    if (document.getElementById("search-sort").value === "date") next.set("sort", "date");
    go("search", next);
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
  // Sort and type apply as soon as they change (a question must be there to search for).
  for (const id of ["search-sort", "search-type"]) {
    document.getElementById(id).addEventListener("change", () => { if (document.getElementById("search-q").value.trim()) submit(); });
  }
  const chips = document.getElementById("search-chips");
  chips.innerHTML = filterChips("search", params);
  wireChips(chips, "search", params);
  document.getElementById("facets").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-facet]");
    if (!button) return;
    const next = new URLSearchParams([...params].filter(([name]) => name !== button.dataset.facet && name !== "offset" && !(button.dataset.facet === "doc_type" && name === "type")));
    next.append(button.dataset.facet === "doc_type" ? "type" : "authority", button.dataset.value);
    go("search", next);
  });
  if (!q) { document.getElementById("search-q").focus(); return; }
  document.title = `Search: ${q} — scrutiny`;
  const offset = Math.max(0, Number.parseInt(params.get("offset") || "0", 10) || 0);
  const query = filterParams(filtersFrom(params), new URLSearchParams({ q, k: String(PAGE_SIZE), sort: params.get("sort") === "date" ? "date" : "relevance", offset: String(offset) }));
  const target = document.getElementById("search-results");
  let body = null;
  const shown = await running(form, target, "Searching…", async () => {
    body = await api(`/search?${query}`);
    if (!body.results.length) {
      const named = [...params.keys()].some((k) => ["authority", "type", "since", "until"].includes(k));
      return `<h3>No matches</h3><p>${escapeHtml(body.message || "Nothing matches this search.")}</p>
        <p class="meta">${named ? "Remove a filter above (×) or try" : "Try"} other words: the papers may put it differently.</p>`;
    }
    const last = offset + body.results.length;
    return `<h3>Showing ${escapeHtml(offset + 1)}–${escapeHtml(last)} of ${escapeHtml(body.total)} passages</h3>
      ${passageList(body.results, queryTerms(body.query), offset + 1)}
      <div class="row pager">
        ${offset > 0 ? `<button type="button" class="secondary" id="previous-page">Previous ${PAGE_SIZE}</button>` : ""}
        ${body.next_offset !== null && body.next_offset !== undefined ? `<button type="button" id="more-results">More results</button>` : ""}
        <button type="button" class="secondary" id="search-csv">Download these as CSV</button>
      </div>`;
  });
  if (!shown) return;
  document.getElementById("facets").innerHTML = body.results.length ? renderFacets(body.facets) : "";
  announce(`${body.total} passages found`);
  const page = (to) => { const next = new URLSearchParams(params); if (to > 0) next.set("offset", String(to)); else next.delete("offset"); go("search", next); };
  document.getElementById("more-results")?.addEventListener("click", () => page(body.next_offset));
  document.getElementById("previous-page")?.addEventListener("click", () => page(Math.max(0, offset - PAGE_SIZE)));
  document.getElementById("search-csv")?.addEventListener("click", () => download(`/search?${query}&format=csv`, "search-results.csv"));
  focusResults(target);
}

// A CSV from the API, fetched with the key (a plain link could not send it) and saved.
async function download(path, name) {
  const headers = {};
  const key = storedKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  try {
    const response = await fetch(path, { headers });
    if (!response.ok) throw new Error(String(response.status));
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await response.blob());
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    announce(`${name} downloaded`);
  } catch {
    announce("The download failed. Try again.");
  }
}

function renderFacets(facets) {
  const block = (key, title) => `<h3>${title}</h3><ul>${Object.entries(facets[key] || {}).map(([value, count]) =>
    `<li><button type="button" data-facet="${key}" data-value="${escapeHtml(value)}">${escapeHtml(value.replace("_", " "))}</button> (${escapeHtml(count)})</li>`).join("")}</ul>`;
  return block("authority", "Authority") + block("doc_type", "Document type");
}

async function viewCompare(params) {
  const seq = routeSeq;
  const names = await loadAuthorities();
  if (seq !== routeSeq) return;
  const question = params.get("q") || "";
  const chosen = new Set(params.getAll("authority"));
  main().innerHTML = `
    <h2>Compare authorities</h2>
    <form class="query" id="compare-form">
      <label for="compare-question">Question <input type="search" id="compare-question" required minlength="3" maxlength="500" placeholder="How did the council respond to an inadequate Ofsted judgement?" value="${escapeHtml(question)}"></label>
      <fieldset><legend>Authorities (two or more)</legend><div class="checks">
        ${names.map((a, i) => `<label><input type="checkbox" name="compare-authority" value="${escapeHtml(a.name)}" id="compare-a-${i}" ${chosen.has(a.name) ? "checked" : ""}> ${escapeHtml(a.name)}</label>`).join("")}
      </div></fieldset>
      <div><button type="submit">Compare</button></div>
    </form>
    <section id="compare-result" aria-live="polite"></section>`;
  const form = document.getElementById("compare-form");
  const target = document.getElementById("compare-result");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const picked = [...document.querySelectorAll("input[name=compare-authority]:checked")].map((c) => c.value);
    if (picked.length < 2) { target.innerHTML = '<p class="error" role="alert">Choose at least two authorities.</p>'; return; }
    const next = new URLSearchParams({ q: document.getElementById("compare-question").value });
    picked.forEach((a) => next.append("authority", a));
    go("compare", next);
  });
  if (!question || chosen.size < 2) return;
  document.title = `Compare: ${question} — scrutiny`;
  const shown = await running(form, target, "Asking each authority's documents…", async () => {
    const body = await api("/compare", { method: "POST", body: JSON.stringify({ question, authorities: [...chosen] }) });
    return `<h3>Answers by authority</h3><table id="compare-table"><caption class="visually-hidden">Answers by authority</caption>
        <thead><tr><th scope="col">Authority</th><th scope="col">Answer</th><th scope="col">Citations</th></tr></thead><tbody>
        ${body.rows.map((row) => `<tr><th scope="row" data-label="Authority">${escapeHtml(row.authority)}</th>
          <td data-label="Answer">${row.abstained ? `<em>Not found in this authority's documents.</em>` : row.citations.map((c) => `${escapeHtml(c.quote)} <sup>[${escapeHtml(c.n)}]</sup>`).join(" ")}</td>
          <td data-label="Citations">${row.citations.map((c) => `<div>[${escapeHtml(c.n)}] ${escapeHtml(c.title || "")} <span class="meta">${describe(c)}</span> ${documentLink(c, "read")}</div>`).join("")}</td></tr>`).join("")}
        </tbody></table>`;
  });
  if (shown) { announce("Comparison ready"); focusResults(target); }
}

async function viewCommitments(params) {
  const seq = routeSeq;
  const names = await loadAuthorities();
  if (seq !== routeSeq) return;
  main().innerHTML = `
    <h2>Commitments register</h2>
    <p>Undertakings recorded in minutes, and whether a later document of the same authority reports back on them.</p>
    <form class="query" id="commitments-form"><div class="row">
      <label for="commitments-authority">Authority <select id="commitments-authority"><option value="">Any</option>${names.map((a) => `<option>${escapeHtml(a.name)}</option>`).join("")}</select></label>
      <label for="commitments-status">Status <select id="commitments-status"><option value="">Any</option><option value="evidenced">Evidenced</option><option value="overdue">Overdue</option><option value="open">Open</option><option value="no_later_papers">No later papers held</option></select></label>
      <label for="commitments-who">Who <input id="commitments-who" placeholder="Director" value="${escapeHtml(params.get("who") || "")}"></label>
      <button type="submit">Show</button></div>
    </form>
    <div id="commitments-chips">${filterChips("commitments", params)}</div>
    <section id="commitments-result" aria-live="polite"></section>`;
  document.getElementById("commitments-authority").value = params.get("authority") || "";
  document.getElementById("commitments-status").value = params.get("status") || "";
  wireChips(document.getElementById("commitments-chips"), "commitments", params);
  const form = document.getElementById("commitments-form");
  const submit = () => {
    const next = new URLSearchParams();
    for (const [name, id] of [["authority", "commitments-authority"], ["status", "commitments-status"], ["who", "commitments-who"]]) {
      const value = document.getElementById(id).value.trim();
      if (value) next.set(name, value);
    }
    go("commitments", next);
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
  // Authority and status apply as soon as they change.
  for (const id of ["commitments-authority", "commitments-status"]) document.getElementById(id).addEventListener("change", submit);
  const query = new URLSearchParams([...params].filter(([name]) => ["authority", "status", "who"].includes(name)));
  const target = document.getElementById("commitments-result");
  let body = null;
  const statusName = { evidenced: "Evidenced", overdue: "Overdue", open: "Open", no_later_papers: "No later papers held" };
  const shown = await running(form, target, "Reading the register…", async () => {
    body = await api(`/commitments?${query}`);
    if (!body.commitments.length) return `<h3>No commitments</h3><p>None match${query.toString() ? ": remove a filter above (×)" : ""}.</p>`;
    return `<h3>${escapeHtml(body.total)} commitments; deadlines judged as of ${escapeHtml(ukDate(body.as_of))}</h3>
        <p><button type="button" class="secondary" id="commitments-csv">Download the register as CSV</button></p>
        <table id="commitments-table"><thead><tr><th scope="col">Made</th><th scope="col">Who</th><th scope="col">Commitment</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">Follow-up</th></tr></thead><tbody>
        ${body.commitments.map((c) => `<tr>
          <td data-label="Made">${escapeHtml(c.citation.authority || "")}<br><span class="meta">${escapeHtml(c.citation.body || "")} ${escapeHtml(c.citation.date ? ukDate(c.citation.date) : "date unknown")}</span></td>
          <td data-label="Who">${escapeHtml(c.who || "not stated")}</td>
          <td data-label="Commitment">${escapeHtml(c.what)}<br>${documentLink(c.citation, "read in the minutes")}</td>
          <td data-label="Due">${escapeHtml(c.due_text || "not stated")}${c.due_date ? `<br><span class="meta">by ${escapeHtml(ukDate(c.due_date))}</span>` : ""}</td>
          <td data-label="Status"><span class="status ${STATUSES.has(c.status) ? c.status : ""}">${escapeHtml(statusName[c.status] || String(c.status))}</span></td>
          <td data-label="Follow-up">${c.evidence ? `${escapeHtml(String(c.evidence.quote).slice(0, 200))}… ${documentLink(c.evidence, "read the follow-up")}`
            : c.later_documents_searched ? `<span class="meta">none found in ${escapeHtml(c.later_documents_searched)} later documents</span>`
            : `<span class="meta">no later papers of this authority are held</span>`}</td>
        </tr>`).join("")}</tbody></table>`;
  });
  if (!shown) return;
  document.title = "Commitments — scrutiny";
  announce(`${body.total} commitments`);
  document.getElementById("commitments-csv")?.addEventListener("click", () => download(`/commitments?${query}${query.toString() ? "&" : ""}format=csv`, "commitments.csv"));
}

// The class of a known grade ("grade-requires"); nothing for anything else.
function gradeClass(grade) {
  return GRADE_LEVEL[grade] ? `grade-${grade.split(" ")[0]}` : "";
}

async function viewAuthority(name, params = new URLSearchParams()) {
  const seq = routeSeq;
  const names = await loadAuthorities();
  if (seq !== routeSeq) return;
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
  const target = document.getElementById("authority-result");
  if (!name) {
    // The tab opens on the list of authorities held, not an empty page.
    target.innerHTML = `<h3>Authorities with papers held</h3><ul class="authority-list">${names.map((a) =>
      `<li><a href="#/authority/${encodeURIComponent(a.name)}">${escapeHtml(a.name)}</a> <span class="meta">(${escapeHtml(a.documents)} documents)</span></li>`).join("")}</ul>`;
    return;
  }
  document.title = `${name} — scrutiny`;
  let body;
  try {
    body = await api(`/authorities/${encodeURIComponent(name)}`);
    if (seq !== routeSeq) return;
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
      return `<tr><td data-label="Published">${escapeHtml(ukDate(i.published))}</td>
      <td data-label="Inspection">${escapeHtml([i.inspection_start, i.inspection_end].filter(Boolean).map(ukDate).join(" to "))}</td>
      <td data-label="Overall" class="${gradeClass(overall)}">${escapeHtml(overall || "not stated")}</td>
      <td data-label="Lead inspector">${escapeHtml(i.lead_inspector || "")}</td>
      <td data-label="Source">${i.citation ? `“${escapeHtml(i.citation.quote)}” ${documentLink(i.citation, "p. 1")}` : ""}</td></tr>`;
    }).join("")}
    </tbody></table>
    <h4>Timeline of a topic</h4>
    <form class="query" id="timeline-form"><div class="row"><label for="timeline-q">Topic <input type="search" id="timeline-q" required placeholder="caseloads"></label><button type="submit">Show timeline</button></div></form>
    <ol id="timeline" class="results"></ol>`;
  // The topic lives in the address too (#/authority/Medway?topic=caseloads).
  const topic = params.get("topic") || "";
  document.getElementById("timeline-q").value = topic;
  document.getElementById("timeline-form").addEventListener("submit", (event) => {
    event.preventDefault();
    go(`authority/${encodeURIComponent(body.name)}`, new URLSearchParams({ topic: document.getElementById("timeline-q").value }));
  });
  if (!topic) return;
  const list = document.getElementById("timeline");
  const button = document.querySelector("#timeline-form button");
  const mine = ++requestSeq;
  button.disabled = true;
  list.setAttribute("aria-busy", "true");
  list.innerHTML = '<li class="loading">Reading the papers…</li>';
  try {
    const timeline = await api(`/timeline?${new URLSearchParams({ authority: body.name, q: topic })}`);
    if (mine !== requestSeq) return;
    list.innerHTML = timeline.entries.map((e) => `<li><strong>${escapeHtml(ukDate(e.date))}</strong> ${escapeHtml(e.citation.title || "")} <span class="meta">${describe(e.citation)}</span>
      <blockquote>${highlight(e.citation.quote, queryTerms(topic))}</blockquote>${documentLink(e.citation)}</li>`).join("") || "<li>No dated mentions of this topic in this authority's papers. Try other words.</li>";
    announce(`${timeline.entries.length} dated mentions`);
  } catch (error) {
    if (mine === requestSeq && !(error instanceof SignInNeeded)) list.innerHTML = `<li class="error" role="alert">${escapeHtml(error.message)}</li>`;
  } finally {
    list.removeAttribute("aria-busy");
    button.disabled = false;
  }
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

// The stored text, escaped, with "Page N" markers where each PDF page starts and the quoted
// passage marked; `pages` are [start, end) offsets into the text.
function documentHtml(text, pages, highlight) {
  const cuts = new Map();
  (pages || []).forEach(([start], i) => { if (i > 0 && start > 0 && start < text.length) cuts.set(start, `<span class="page-marker" id="page-${i + 1}">Page ${i + 1}</span>`); });
  const edges = new Set([0, text.length, ...cuts.keys()]);
  if (highlight) { edges.add(highlight.start); edges.add(highlight.end); }
  const sorted = [...edges].sort((a, b) => a - b);
  let html = "";
  for (let i = 0; i < sorted.length - 1; i++) {
    const [from, to] = [sorted[i], sorted[i + 1]];
    if (cuts.has(from)) html += cuts.get(from);
    const piece = escapeHtml(text.slice(from, to));
    const inside = highlight && from >= highlight.start && to <= highlight.end;
    html += inside ? `<mark${from === highlight.start ? ' id="highlight" tabindex="-1"' : ""}>${piece}</mark>` : piece;
  }
  return html;
}

function pageOf(pages, offset) {
  const found = (pages || []).findIndex(([start, end]) => offset >= start && offset < end + 2);
  return found >= 0 ? found + 1 : null;
}

async function viewDocument(id, params) {
  const query = new URLSearchParams();
  for (const name of ["start", "end"]) if (/^\d+$/.test(params.get(name) || "")) query.set(name, params.get(name));
  try {
    const seq = routeSeq;
    const body = await api(`/documents/${encodeURIComponent(id)}${query.toString() ? `?${query}` : ""}`);
    if (seq !== routeSeq) return;
    const fullText = String(body.text ?? "");
    const page = body.highlight ? pageOf(body.pages, body.highlight.start) : null;
    // The paper itself: the service's own link to it (at the cited page), else its web address.
    const served = safeHref(body.original_url, { relative: true });
    const original = served ? `${served}${page ? `#page=${page}` : ""}` : safeHref(body.url);
    const label = served ? `Open the original paper${page && (body.pages || []).length ? ` at page ${page}` : ""}` : "Open the original web page";
    main().innerHTML = `<p><button type="button" class="back" id="back">← Back</button></p>
      <h2>${escapeHtml(body.title || "Document")}</h2>
      <p class="meta">${describe({ ...body, page })} · ${escapeHtml((body.doc_type || "").replace("_", " "))}${original ? ` · <a href="${escapeHtml(original)}" rel="noopener noreferrer" target="_blank" id="original-link">${escapeHtml(label)}</a>` : ""}</p>
      <div class="document-text" id="document-text" tabindex="0" role="region" aria-label="Text of the document">${documentHtml(fullText, body.pages, body.highlight)}</div>`;
    document.title = `${body.title || "Document"} — scrutiny`;
    // A button, not a javascript: link (the Content-Security-Policy forbids those). Opened
    // from a shared link there is no page of ours to go back to: go to search instead.
    document.getElementById("back").addEventListener("click", () => {
      if (appNavigations > 0) history.back();
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
  routeSeq += 1;
  const [path, search] = (location.hash.slice(1) || "/ask").split("?");
  const params = new URLSearchParams(search || "");
  const [, view, arg] = path.split("/");
  document.querySelectorAll("nav a").forEach((a) => {
    if (a.dataset.view === (view || "ask")) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  const titles = { search: "Search", compare: "Compare authorities", commitments: "Commitments", authority: "Authorities", document: "Document" };
  document.title = `${titles[view] || "Ask a question"} — scrutiny`;
  try {
    if (view === "search") await viewSearch(params);
    else if (view === "compare") await viewCompare(params);
    else if (view === "commitments") await viewCommitments(params);
    else if (view === "authority") await viewAuthority(arg ? decodeURIComponent(arg) : "", params);
    else if (view === "document") await viewDocument(decodeURIComponent(arg || ""), params);
    else await viewAsk(params);
  } catch (error) {
    showError(main(), error);
  }
}

window.addEventListener("hashchange", () => { appNavigations += 1; route(); });
// "Skip to content" moves focus to the main area and leaves the address (and the view) alone.
document.addEventListener("click", (event) => {
  const skip = event.target.closest("a.skip");
  if (!skip) return;
  event.preventDefault();
  main().focus();
});
window.addEventListener("DOMContentLoaded", startSession);
