// The audit log (filters: store, type, subject, time; a command's events grouped; each event
// links its subject), promoter statements with their lines, and four-eyes approvals.
import { useState } from "preact/hooks";
import { get, optional } from "./api.js";
import { Code, Time, yuan } from "./fmt.js";
import { html } from "./html.js";
import { t } from "./i18n.js";
import { Link, navigate } from "./router.js";
import { Action, ErrorBox, useLoad } from "./ui.js";

const FILTERS = ["merchant", "type", "subject", "from", "to"];

// datetime-local (Asia/Shanghai wall time) -> RFC 3339 with the +08:00 offset
const toInstant = (v) => (v && v.length === 16 ? `${v}:00+08:00` : v);

async function loadEvents(q) {
  const params = new URLSearchParams({ limit: "200" });
  for (const k of FILTERS) if (q.get(k)) params.set(k, k === "from" || k === "to" ? toInstant(q.get(k)) : q.get(k));
  if (q.get("after")) params.set("after", q.get("after"));
  return get(`/v1/events?${params}`);
}

function subjectLink(e) {
  if (!e.subject) return "—";
  if (e.merchant && e.subject === e.merchant) return html`<${Link} to=${`/stores/${e.merchant}`}>${e.subject}</${Link}>`;
  if (e.merchant) return html`<a href=${`/console/stores/${e.merchant}#${e.subject}`} onClick=${(ev) => { ev.preventDefault(); navigate(`/stores/${e.merchant}`); }}>${e.subject}</a>`;
  return html`<${Link} to=${`/audit?subject=${encodeURIComponent(e.subject)}`}>${e.subject}</${Link}>`;
}

export function AuditPage() {
  const q = new URLSearchParams(location.search);
  const [form, setForm] = useState(Object.fromEntries(FILTERS.map((k) => [k, q.get(k) || ""])));
  const { data, error, loading } = useLoad(() => loadEvents(q), [location.search]);
  const apply = (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const k of FILTERS) if (form[k]) p.set(k, form[k]);
    navigate(`/audit${p.toString() ? "?" + p : ""}`);
  };
  const field = (k, type = "text") => html`<label>${t(k === "merchant" ? "merchant" : k)}<input name=${k} type=${type} value=${form[k]} onInput=${(e) => setForm({ ...form, [k]: e.target.value })} /></label>`;
  // consecutive events of one command form a group
  const groups = [];
  for (const e of (data && data.events) || []) {
    const g = groups[groups.length - 1];
    if (g && g.seq === e.command_seq) g.events.push(e); else groups.push({ seq: e.command_seq, events: [e] });
  }
  const next = data && data.has_more ? (() => { const p = new URLSearchParams(location.search); p.set("after", data.next_after); return `/audit?${p}`; })() : null;
  return html`<div data-test="audit">
    <h1>${t("audit")}</h1>
    <form class="filters" onSubmit=${apply}>${field("merchant")}${field("type")}${field("subject")}${field("from", "datetime-local")}${field("to", "datetime-local")}
      <button class="primary" type="submit">${t("filter")}</button></form>
    <${ErrorBox} error=${error} />${loading && html`<p class="muted">${t("loading")}</p>`}
    <table><thead><tr><th>${t("command")}</th><th>#</th><th>${t("time")}</th><th>${t("type")}</th><th>${t("merchant")}</th><th>${t("subject")}</th><th>${t("actor")}</th></tr></thead><tbody>
    ${groups.map((g) => g.events.map((e, i) => html`<tr class=${i === 0 ? "group-start" : ""} data-seq=${e.seq}>
      <td>${i === 0 ? html`<b>${g.seq}</b>${g.events.length > 1 ? html` <span class="muted">×${g.events.length}</span>` : ""}` : ""}</td>
      <td>${e.seq}</td><td><${Time} at=${e.at} /></td><td>${e.type}</td>
      <td>${e.merchant ? html`<${Link} to=${`/stores/${e.merchant}`}>${e.merchant}</${Link}>` : ""}</td><td>${subjectLink(e)}</td>
      <td>${e.actor ? `${e.actor.role}${e.actor.key ? " · " + e.actor.key : ""}${e.actor.label ? " · " + e.actor.label : ""}` : ""}</td></tr>`))}
    </tbody></table>
    ${next && html`<${Link} to=${next}>${t("more")} →</${Link}>`}
  </div>`;
}

export function StatementsPage() {
  const { data, error } = useLoad(() => get("/v1/affiliate/statements?limit=200"), []);
  return html`<div data-test="statements"><h1>${t("statements")}</h1><${ErrorBox} error=${error} />
    ${data && !data.statements.length && html`<p class="muted">${t("nothing")}</p>`}
    ${data && data.statements.map((s) => html`<h2>${s.id} · ${t("promoter")} ${s.promoter} · ${t("month")} ${s.month}</h2>
      <p class="muted">${t("issued_word")} <${Time} at=${s.issued_at} /> · ${t("total")} <b>${yuan(s.total_fen)}</b></p>
      <table><thead><tr><th>${t("type")}</th><th>${t("id")}</th><th>${t("amount")}</th></tr></thead><tbody>
      ${(s.lines || []).map((l) => html`<tr><td><${Code} c=${l.kind} /></td><td>${l.order || l.case || ""}</td><td class=${l.amount_fen < 0 ? "bad" : ""}>${yuan(l.amount_fen)}</td></tr>`)}</tbody></table>`)}
  </div>`;
}

export function ApprovalsPage({ onChange }) {
  const { data, error, reload } = useLoad(() => optional("/v1/approvals"), []);
  const done = () => { reload(); onChange && onChange(); };
  if (data === null && !error) return html`<div><h1>${t("approvals")}</h1><p class="muted">${t("approvals_off")}</p></div>`;
  const list = (data && data.approvals) || [];
  return html`<div data-test="approvals"><h1>${t("approvals")}</h1><${ErrorBox} error=${error} />
    ${data && !list.length && html`<p class="muted">${t("nothing")}</p>`}
    ${list.length > 0 && html`<table><thead><tr><th>${t("id")}</th><th>${t("merchant")}</th><th>${t("kind")}</th><th>${t("subject")}</th><th>${t("amount")}</th>
      <th>${t("status")}</th><th>${t("asker")}</th><th>${t("time")}</th><th>${t("actions")}</th></tr></thead>
    <tbody>${list.map((a) => html`<tr data-approval=${a.id}><td>${a.id}</td>
      <td>${a.merchant ? html`<${Link} to=${`/stores/${a.merchant}`}>${a.merchant}</${Link}>` : "—"}</td>
      <td><${Code} c=${a.command || a.type} />${a.kind ? html` · <${Code} c=${a.kind} />` : ""}${a.clears_store ? html` · <${Code} c="merchant.clear" />` : ""}</td><td>${a.subject || ""}</td>
      <td>${a.amount_fen !== undefined ? yuan(a.amount_fen) : ""}</td><td><${Code} c=${a.status} /></td>
      <td>${(a.requested_by && (a.requested_by.label || a.requested_by.key)) || ""}</td><td><${Time} at=${a.created_at} /></td>
      <td>${a.status === "pending" && html`<${Action} label=${t("approve_req")} test="approve-request" path=${`/v1/approvals/${a.id}/approve`} reason="optional" body=${(r) => (r ? { note: r } : {})} onDone=${done} />
        <${Action} label=${t("reject_req")} cls="danger" path=${`/v1/approvals/${a.id}/reject`} reason="required" body=${(r) => ({ note: r })} onDone=${done} />`}</td></tr>`)}</tbody></table>`}</div>`;
}
