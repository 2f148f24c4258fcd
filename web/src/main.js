// The console's shell: sign-in, navigation (with the queues' counts), routing under /console,
// the language switch and the keyboard help overlay.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { isStaff, session, whoami } from "./api.js";
import { AuditPage, ApprovalsPage, StatementsPage } from "./audit.js";
import { html } from "./html.js";
import { getLang, setLang, t } from "./i18n.js";
import { BASE, navigate } from "./router.js";
import { QueuePage, SHORTCUTS, queueCounts } from "./queue.js";
import { ReplayPage, ReplayStartPage } from "./replay.js";
import { StorePage, StoresPage } from "./store.js";
import { DialogHost } from "./ui.js";


function route() {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : "/";
  return p.replace(/\/+$/, "") || "/";
}

function SignIn({ onIn }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    session.set(key.trim());
    try { onIn(await whoami()); } catch (err) { session.clear(); setError(err); }
  };
  return html`<form class="signin" onSubmit=${submit}>
    <h1>${t("title")}</h1>
    <label>${t("apikey")}<input name="key" type="password" autocomplete="off" value=${key} onInput=${(e) => setKey(e.target.value)} /></label>
    <p class="muted">${t("signin_hint")}</p>
    ${error && html`<div class="error" role="alert">${error.message}</div>`}
    <button class="primary" type="submit">${t("signin")}</button>
    <button type="button" onClick=${() => { setLang(getLang() === "en" ? "zh-CN" : "en"); onIn(null); }}>${t("lang")}</button>
  </form>`;
}

// Whether the key's role may GET path (GET /v1/me's permissions; a server without them: yes).
const mayRead = (who, path) => !who.permissions || !who.permissions.length || who.permissions.includes(`GET ${path}`);

function Nav({ who, path, counts }) {
  const link = (href, label, n, hot) => html`<a href=${BASE + href} class=${path === href || (href !== "/" && path.startsWith(href + "/")) ? "active" : ""}
      onClick=${(e) => { e.preventDefault(); navigate(href); }}>${label}${n !== undefined && n !== null && html`<span class=${"count" + (hot ? " hot" : "")}>${n}</span>`}</a>`;
  if (!isStaff(who))
    return html`<nav>${who.merchant ? link(`/stores/${who.merchant}`, t("my_store")) : mayRead(who, "/v1/affiliate/statements") ? link("/", t("statements")) : ""}</nav>`;
  const c = counts || {};
  return html`<nav>
    <h4>${t("queue")}</h4>
    ${["pending_violations", "open_appeals", "rectification_reports", "qualifications_in_review", "filings_in_review", "review_failed", "flagged_orders", "affiliate_alerts"].map((q) =>
      link(`/queue/${q}`, t(q), c[q], q === "open_appeals" && c.overdue_appeals > 0))}
    <h4>${t("stores")}</h4>
    ${link("/stores", t("stores"))}
    ${link("/audit", t("audit"))}
    ${link("/statements", t("statements"))}
    ${link("/approvals", t("approvals"), c.approvals)}
    ${who.role === "admin" && link("/replays", t("replays"))}
  </nav>`;
}

function Help({ onClose }) {
  return html`<div class="overlay" onClick=${onClose}><div class="dialog" data-test="help">
    <h3>${t("help_title")}</h3>
    <table>${SHORTCUTS.map(([k, label]) => html`<tr><td><kbd>${k}</kbd></td><td>${t(label)}</td></tr>`)}</table>
    <button onClick=${onClose}>${t("cancel")}</button></div></div>`;
}

function Page({ who, path, refreshCounts }) {
  let m;
  if (!isStaff(who)) {
    if ((m = path.match(/^\/stores\/([^/]+)$/))) return html`<${StorePage} who=${who} id=${decodeURIComponent(m[1])} />`;
    if (who.merchant) { setTimeout(() => navigate(`/stores/${who.merchant}`)); return null; }
    // a promoter's key reads its own statements (the API scopes them); other keys have no page
    if (mayRead(who, "/v1/affiliate/statements")) return html`<${StatementsPage} />`;
    return html`<div class="notice" data-test="no-pages">${t("no_pages")}</div>`;
  }
  if (path === "/" || path === "/queue") { setTimeout(() => navigate("/queue/pending_violations")); return null; }
  if ((m = path.match(/^\/queue\/(\w+)$/))) return html`<${QueuePage} who=${who} kind=${m[1]} onChange=${refreshCounts} />`;
  if (path === "/stores") return html`<${StoresPage} />`;
  if ((m = path.match(/^\/stores\/([^/]+)$/))) return html`<${StorePage} who=${who} id=${decodeURIComponent(m[1])} />`;
  if (path === "/audit") return html`<${AuditPage} />`;
  if (path === "/statements") return html`<${StatementsPage} />`;
  if (path === "/approvals") return html`<${ApprovalsPage} who=${who} onChange=${refreshCounts} />`;
  if (path === "/replays") return html`<${ReplayStartPage} />`;
  if ((m = path.match(/^\/replays\/([^/]+)$/))) return html`<${ReplayPage} id=${decodeURIComponent(m[1])} />`;
  return html`<div class="notice">${t("not_found")}</div>`;
}

function App() {
  const [who, setWho] = useState(null);
  const [checking, setChecking] = useState(!!session.key());
  const [path, setPath] = useState(route());
  const [search, setSearch] = useState(location.search);
  const [counts, setCounts] = useState(null);
  const [help, setHelp] = useState(false);
  const [toast, setToast] = useState(null);
  const [, setTick] = useState(0);
  useEffect(() => {
    const onPop = () => { setPath(route()); setSearch(location.search); };
    const onToast = (e) => { setToast(e.detail); setTimeout(() => setToast(null), 6000); };
    window.addEventListener("popstate", onPop);
    window.addEventListener("sw-toast", onToast);
    if (session.key()) whoami().then(setWho, () => session.clear()).finally(() => setChecking(false));
    return () => { window.removeEventListener("popstate", onPop); window.removeEventListener("sw-toast", onToast); };
  }, []);
  const refreshCounts = () => { if (isStaff(who)) queueCounts().then(setCounts, () => {}); };
  useEffect(refreshCounts, [who, path]);
  useEffect(() => {
    const onKey = (e) => {
      if (e.target.closest && e.target.closest("input, textarea, select")) return;
      if (e.key === "?") { setHelp(true); e.preventDefault(); }
      if (e.key === "Escape") setHelp(false);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  if (checking) return html`<p class="muted" style="padding:16px">${t("loading")}</p>`;
  if (!who) return html`<${SignIn} onIn=${(w) => { setWho(w); setTick((x) => x + 1); }} />`;
  const signOut = () => { session.clear(); setWho(null); setCounts(null); navigate("/"); };
  const switchLang = () => { setLang(getLang() === "en" ? "zh-CN" : "en"); setTick((x) => x + 1); };
  return html`<div>
    <header>
      <span class="brand">${t("title")}</span>
      <span class="who" data-test="who">${t("role")}: ${who.role}${who.merchant ? ` (${who.merchant})` : ""}${who.name ? ` · ${who.name}` : ""}</span>
      <button onClick=${() => setHelp(true)} title="?">${t("shortcuts")} <kbd>?</kbd></button>
      <button onClick=${switchLang}>${t("lang")}</button>
      <button onClick=${signOut} data-test="signout">${t("signout")}</button>
    </header>
    ${toast && html`<div class="notice" role="status" style="margin:8px 16px">${toast}</div>`}
    <div class="layout">
      <${Nav} who=${who} path=${path} counts=${counts} />
      <main><${Page} key=${path + search + getLang()} who=${who} path=${path} refreshCounts=${refreshCounts} /></main>
    </div>
    ${help && html`<${Help} onClose=${() => setHelp(false)} />`}
    <${DialogHost} />
  </div>`;
}

document.documentElement.lang = getLang();
render(html`<${App} />`, document.getElementById("app"));
