// A store's whole picture: status and holds, deposit (balance chart + ledger linking its
// violations), violations with their appeals, the assurance badge, products with their
// findings highlighted in the listing's own text, quick promotions (exposure against
// estimate), filings and, for staff, internal notes. A store's key sees its own store only.
import { useState } from "preact/hooks";
import uPlot from "uplot";
import { get, isStaff, optional } from "./api.js";
import { Code, Time, yuan } from "./fmt.js";
import { html } from "./html.js";
import { t } from "./i18n.js";
import { Link } from "./router.js";
import { Action, Chart, ErrorBox, useLoad } from "./ui.js";

const settle = async (p) => { try { return await p; } catch (e) { return { error: e }; } };

async function loadStore(id, staff) {
  const m = encodeURIComponent(id);
  const merchant = await get(`/v1/merchants/${m}`);
  const [deposit, violations, badge, products, promotions, filings, notes] = await Promise.all([
    settle(get(`/v1/merchants/${m}/deposit?limit=200`)),
    settle(get(`/v1/violations?merchant=${m}&limit=200`).then(async (l) => {
      // each violation with appeals: its full record lists them
      return Promise.all(l.violations.map((v) => (v.appeals && v.appeals.filed ? get(`/v1/violations/${v.id}`) : v)));
    })),
    settle(get(`/v1/merchants/${m}/badge`)),
    settle(get(`/v1/merchants/${m}/products?limit=200`)),
    settle(get(`/v1/promotions?merchant=${m}&limit=200`)),
    settle(get(`/v1/filings?merchant=${m}&limit=200`)),
    staff ? settle(optional(`/v1/notes?subject=${m}`)) : null, // staff only: a store never reads them
  ]);
  return { merchant, deposit, violations, badge, products, promotions, filings, notes };
}

export function StoresPage() {
  const { data, error } = useLoad(() => get("/v1/merchants?limit=1000"), []);
  return html`<div><h1>${t("stores")}</h1><${ErrorBox} error=${error} />
    ${data && html`<table><thead><tr><th>${t("id")}</th><th>${t("name")}</th><th>${t("status")}</th><th>${t("holds")}</th></tr></thead><tbody>
    ${data.merchants.map((m) => html`<tr><td><${Link} to=${`/stores/${m.id}`}>${m.id}</${Link}></td><td>${m.name}</td>
      <td class=${m.status === "active" ? "ok" : "bad"}><${Code} c=${m.status} /></td><td>${(m.holds || []).map((h) => html`<${Code} c=${h} /> `)}</td></tr>`)}</tbody></table>`}</div>`;
}

export function StorePage({ who, id }) {
  const { data, error, loading, reload } = useLoad(() => loadStore(id, isStaff(who)), [id]);
  if (loading && !data) return html`<p class="muted">${t("loading")}</p>`;
  if (error) return html`<div data-test="store-error"><h1>${t("store")} ${id}</h1>
    <div class="notice">${error.status === 404 ? t("not_found") : ""}</div><${ErrorBox} error=${error} /></div>`;
  const staff = isStaff(who), m = data.merchant;
  const p = { who, staff, id, reload };
  return html`<div data-test="store-page">
    <h1>${m.name} <span class="muted">${m.id}</span></h1>
    <div class="cards">
      <div class="card"><div class="muted">${t("status")}</div><div class=${"big " + (m.status === "active" ? "ok" : "bad")} data-test="store-status" data-code=${m.status}><${Code} c=${m.status} /></div>
        <div>${(m.holds || []).map((h) => html`<span class="pill"><${Code} c=${h} /></span>`)}</div></div>
      ${data.deposit.error ? "" : html`<div class="card"><div class="muted">${t("deposit")} · ${t("balance")}</div>
        <div class="big" data-test="deposit-balance">${yuan(data.deposit.balance_fen)}</div>
        <div class="muted">${t("required")} ${yuan(data.deposit.required_fen)} · ${t("shortfall")} ${yuan(data.deposit.shortfall_fen)} · ${t("owed")} ${yuan(data.deposit.owed_fen)}</div></div>`}
      ${data.badge.error ? "" : html`<div class="card"><div class="muted">${t("badge")}</div><div class="big" data-test="badge-state" data-code=${data.badge.state}><${Code} c=${data.badge.state} /></div></div>`}
    </div>
    ${staff && html`<${StoreActions} m=${m} ...${p} />`}
    ${staff && html`<p><${Link} to=${`/audit?merchant=${encodeURIComponent(id)}`}>${t("timeline")} →</${Link}></p>`}
    <${Deposit} d=${data.deposit} />
    <${Violations} list=${data.violations} ...${p} />
    <${Badge} b=${data.badge} ...${p} />
    <${Products} list=${data.products} violations=${data.violations} ...${p} />
    <${Promotions} list=${data.promotions} ...${p} />
    <${Filings} list=${data.filings} ...${p} />
    ${staff && html`<${Notes} notes=${data.notes} ...${p} />`}
  </div>`;
}

// What staff may do to a store from its page: restrict / reinstate, clear (final; may wait for a
// second operator's approval), top up or release deposit.
function StoreActions({ m, id, reload }) {
  const base = `/v1/merchants/${encodeURIComponent(id)}`;
  const money = [{ name: "amount", label: t("amount_yuan"), type: "number", step: "0.01", required: true },
    { name: "ref", label: t("ref"), required: true }];
  const amount = (r, v) => ({ amount: String(v.amount).trim(), ref: String(v.ref).trim(), ...(r ? { note: r } : {}) });
  return html`<p data-test="store-actions">
    ${m.status !== "cleared" && !(m.holds || []).includes("operator") && html`<${Action} label=${t("restrict")} test="restrict" path=${`${base}/restrict`} reason="required" body=${(r) => ({ reason: r })} onDone=${reload} />`}
    ${(m.holds || []).includes("operator") && html`<${Action} label=${t("reinstate")} test="reinstate" path=${`${base}/reinstate`} reason="optional" body=${(r) => (r ? { reason: r } : {})} onDone=${reload} />`}
    ${m.status !== "cleared" && html`<${Action} label=${t("clear_store")} test="clear-store" cls="danger" path=${`${base}/clear`} reason="required" body=${(r) => ({ reason: r })} onDone=${reload} />`}
    <${Action} label=${t("top_up")} test="top-up" path=${`${base}/deposit/top-ups`} reason="optional" fields=${money} body=${amount} onDone=${reload} />
    <${Action} label=${t("release_deposit")} test="release-deposit" path=${`${base}/deposit/releases`} reason="optional" fields=${money} body=${amount} onDone=${reload} />
  </p>`;
}

function Deposit({ d }) {
  if (d.error) return html`<h2>${t("deposit")}</h2><${ErrorBox} error=${d.error} />`;
  const entries = d.entries || [];
  const xs = entries.map((e) => new Date(e.at).getTime() / 1000 + e.seq / 1e6);
  // the time axis spans the entries, and a day either side of a lone one
  const lo = xs.length ? Math.min(...xs) : 0, hi = xs.length ? Math.max(...xs) : 0;
  const span = hi - lo < 3600 ? [lo - 86400, hi + 86400] : [lo, hi];
  const ys = entries.map((e) => e.balance_after_fen / 100);
  const opts = { title: t("deposit_chart"), series: [{ label: t("time") }, { label: t("balance") + " (¥)", stroke: "#0969da", width: 2, fill: "rgba(9,105,218,.08)", value: (u, v) => (v == null ? "" : yuan(Math.round(v * 100))) }],
    axes: [{}, { size: 80, values: (u, v) => v.map((y) => y.toLocaleString("en-US")) }],
    scales: { x: { time: true, range: () => span } }, tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Asia/Shanghai") };
  return html`<h2>${t("deposit")}</h2>
    ${entries.length > 0 && html`<${Chart} test="deposit-chart" opts=${opts} data=${[xs, ys]} />`}
    <table data-test="ledger"><thead><tr><th>#</th><th>${t("time")}</th><th>${t("type")}</th><th>${t("amount")}</th><th>${t("balance")}</th><th>${t("violations")}</th></tr></thead><tbody>
    ${entries.map((e) => html`<tr><td>${e.seq}</td><td><${Time} at=${e.at} /></td><td><${Code} c=${e.kind} /></td><td class=${e.amount_fen < 0 ? "bad" : "ok"}>${yuan(e.amount_fen)}</td>
      <td>${yuan(e.balance_after_fen)}</td><td>${e.violation ? html`<a href=${"#" + e.violation}>${e.violation}</a>` : e.ref || ""}</td></tr>`)}</tbody></table>`;
}

// An appeal's evidence, file references as the merchant typed them (comma or line separated).
const evidenceOf = (text) => {
  const refs = String(text || "").split(/[,，\n]/).map((x) => x.trim()).filter(Boolean);
  return refs.length ? { evidence: refs } : {};
};

function Violations({ list, staff, who, reload }) {
  if (list.error) return html`<h2>${t("violations")}</h2><${ErrorBox} error=${list.error} />`;
  return html`<h2>${t("violations")}</h2>
    ${!list.length && html`<p class="muted">${t("nothing")}</p>`}
    <table><tbody>${list.map((v) => {
      const pen = v.penalty || {};
      const appeals = (v.appeals && v.appeals.list) || [];
      const canAppeal = !staff && v.status === "in_force" && v.appeals && v.appeals.left > 0 && !v.appeals.open;
      return html`<tr id=${v.id} data-violation=${v.id}><td>${v.id}</td><td><${Code} c=${v.type} /> <span class="pill"><${Code} c=${v.severity} /></span><div class="muted">${v.product}</div></td>
        <td><span class=${v.status === "in_force" ? "bad" : ""} data-code=${v.status}><${Code} c=${v.status} /></span></td>
        <td>${t("penalty")}: ${pen.ban && pen.ban !== "none" ? html`<${Code} c=${pen.ban} /> ` : ""}${pen.deduct_fen ? `${t("deduct")} ${yuan(pen.deduct_fen)}` : ""}</td>
        <td>${appeals.map((a) => html`<div data-appeal=${a.id}>${a.id}: <b><${Code} c=${a.status} /></b> — ${a.reason}${(a.evidence || []).map((e) => html` <span class="pill">${e}</span>`)}${a.note ? html` <span class="muted">(${a.note})</span>` : ""}
            ${staff && a.status === "open" && html` <${Action} label=${t("uphold")} test="uphold" path=${`/v1/appeals/${a.id}/decision`} reason="required" body=${(r) => ({ decision: "uphold", note: r })} onDone=${reload} />
              <${Action} label=${t("reject")} cls="danger" path=${`/v1/appeals/${a.id}/decision`} reason="required" body=${(r) => ({ decision: "reject", note: r })} onDone=${reload} />`}</div>`)}
          ${!staff && pen.rectification === "required" && html`<${Action} label=${t("rectify")} path=${`/v1/violations/${v.id}/rectification`} reason="required" body=${(r) => ({ report: r })} onDone=${reload} />`}
          ${canAppeal && html`<${Action} label=${t("file_appeal")} test="file-appeal" path=${`/v1/violations/${v.id}/appeals`} reason="required"
            fields=${[{ name: "evidence", label: t("evidence") }]} body=${(r, f) => ({ reason: r, ...evidenceOf(f.evidence) })} onDone=${reload} />`}
          ${staff && v.status === "pending" && html`<${Action} label=${t("confirm")} path=${`/v1/violations/${v.id}/confirm`} reason="optional" body=${(r) => (r ? { note: r } : {})} onDone=${reload} />
            <${Action} label=${t("dismiss")} path=${`/v1/violations/${v.id}/dismiss`} reason="optional" body=${(r) => (r ? { note: r } : {})} onDone=${reload} />`}
        </td><td><${Time} at=${v.created_at} /></td></tr>`;
    })}</tbody></table>`;
}

function Badge({ b, staff, id, reload }) {
  if (b.error) return html`<h2>${t("badge")}</h2><${ErrorBox} error=${b.error} />`;
  const path = (s) => `/v1/merchants/${encodeURIComponent(id)}/badge/${s}`;
  const waiting = b.state === "eligible" && b.reminder && !b.reminder.dismissed_at;
  return html`<h2>${t("badge")}</h2>
    <p>${t("state")}: <b><${Code} c=${b.state} /></b>${b.since && html` · <${Time} at=${b.since} />`}
      ${b.missing && b.missing.length > 0 && html` · ${t("missing")}: ${b.missing.map((s) => html`<span class="pill bad"><${Code} c=${s} /></span>`)}`}
      ${(b.reasons || []).map((r) => html` <span class="pill warn"><${Code} c=${r.code} /></span>`)}</p>
    ${waiting && html`<p class="notice">${t("reminder")}: <${Time} at=${b.reminder.sent_at} />${b.reminder.auto_activation_at && html` → <${Time} at=${b.reminder.auto_activation_at} />`}</p>`}
    ${!staff && html`<div>
      ${(b.state === "eligible" || b.state === "closed") && html`<${Action} label=${t("activate")} test="activate-badge" cls="primary" path=${path("activate")} body=${{}} onDone=${reload} />`}
      ${waiting && b.state === "eligible" && html`<${Action} label=${t("dismiss_reminder")} path=${path("reminder/dismiss")} body=${{}} onDone=${reload} />`}
      ${b.state === "active" && html`<${Action} label=${t("close_badge")} cls="danger" path=${path("close")} body=${{}} onDone=${reload} />`}
    </div>`}
    ${(b.products || []).length > 0 && html`<table><tbody>${b.products.map((p) => html`<tr><td>${p.product}</td><td>${p.tagged ? html`<span class="ok">✓ ${t("badge")}</span>` : ""}</td>
      <td>${(p.missing || []).map((s) => html`<span class="pill"><${Code} c=${s} /></span>`)}</td></tr>`)}</tbody></table>`}`;
}

// The listing's text with each finding's [start, end) (code points of that field) marked.
function Highlighted({ text, findings }) {
  const cps = Array.from(text || "");
  const fs = [...findings].sort((a, b) => a.start - b.start);
  const out = [];
  let at = 0;
  for (const f of fs) {
    if (f.start < at || f.end > cps.length) continue;
    out.push(cps.slice(at, f.start).join(""));
    out.push(html`<mark title=${`${f.rule} · ${f.policy_version}`} data-rule=${f.rule}>${cps.slice(f.start, f.end).join("")}</mark>`);
    at = f.end;
  }
  out.push(cps.slice(at).join(""));
  return html`<span class="listing">${out}</span>`;
}

function Products({ list, staff, reload }) {
  if (list.error) return html`<h2>${t("products")}</h2><${ErrorBox} error=${list.error} />`;
  return html`<h2>${t("products")}</h2><table><tbody>${list.products.map((p) => {
    const fs = (p.scan && p.scan.findings) || [];
    const fields = [...new Set(["title", "detail", ...fs.map((f) => f.field)])].filter((f) => typeof p[f] === "string");
    const act = (verb, label, cls) => html`<${Action} label=${label} cls=${cls} test=${`${verb}-${p.id}`} path=${`/v1/products/${p.id}/${verb}`} body=${{}} onDone=${reload} />`;
    return html`<tr data-product=${p.id}><td>${p.id}</td><td>${fields.map((f) => html`<div><span class="muted">${t("field_" + f)}:</span> <${Highlighted} text=${p[f]} findings=${fs.filter((x) => x.field === f)} /></div>`)}
        ${fs.map((f) => html`<div class="muted"><${Code} c=${f.type} /> · ${t("rule")} ${f.rule} · ${t("policy_version")} ${f.policy_version} · [${f.start}, ${f.end})</div>`)}</td>
      <td>${yuan(p.price_fen)}</td><td><span class=${p.status === "listed" ? "ok" : "warn"} data-code=${p.status}><${Code} c=${p.status} /></span> ${(p.tags || []).map((x) => html`<span class="pill"><${Code} c=${x} /></span>`)}</td>
      <td style="white-space:nowrap">${p.status !== "listed" && p.status !== "banned" && act("list", t("list"), "primary")}${p.status === "listed" && act("delist", t("delist"))}
        ${staff && p.status !== "banned" && html`<${Action} label=${t("ban")} test=${`ban-${p.id}`} cls="danger" path=${`/v1/products/${p.id}/ban`} reason="required" body=${(r) => ({ reason: r })} onDone=${reload} />`}
        ${staff && p.status === "banned" && html`<${Action} label=${t("unban")} test=${`unban-${p.id}`} path=${`/v1/products/${p.id}/unban`} reason="optional" body=${(r) => (r ? { reason: r } : {})} onDone=${reload} />`}</td></tr>`;
  })}</tbody></table>`;
}

function Promotions({ list, staff, reload }) {
  if (list.error) return html`<h2>${t("promotions")}</h2><${ErrorBox} error=${list.error} />`;
  const ps = list.promotions;
  const xs = ps.map((_, i) => i + 1);
  const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.35, 40] }) : undefined;
  const opts = { title: t("promo_chart"), legend: { show: true }, scales: { x: { time: false, range: [0.5, ps.length + 0.5] } },
    axes: [{ values: (u, v) => v.map((i) => (ps[i - 1] ? ps[i - 1].id : "")) }, { size: 70, values: (u, v) => v.map((y) => y.toLocaleString("en-US")) }],
    series: [{ label: t("promotions") }, { label: t("estimate"), stroke: "#8c959f", fill: "rgba(140,149,159,.3)", paths: bars },
      { label: t("actual"), stroke: "#1a7f37", fill: "rgba(26,127,55,.5)", paths: bars }] };
  return html`<h2>${t("promotions")}</h2>
    ${ps.length > 0 && html`<${Chart} test="promo-chart" opts=${opts} data=${[xs, ps.map((p) => p.estimated_exposure), ps.map((p) => p.actual_exposure)]} />`}
    <table><tbody>${ps.map((p) => html`<tr data-promotion=${p.id}><td>${p.id}</td><td>${p.product}</td>
      <td class=${p.status === "abnormal" || p.status === "review_failed" ? "bad" : "ok"} data-test="promotion-status" data-code=${p.status}><${Code} c=${p.status} /></td>
      <td>${p.actual_exposure} / ${p.estimated_exposure}</td><td>${yuan(p.price_fen)}</td>
      <td>${(p.reasons || []).map((r) => html`<div><${Code} c=${r.code} />: ${r.detail} <span class="muted">${r.rule} · ${r.policy_version}</span></div>`)}</td>
      <td>${staff && p.status === "review_failed" && !p.refund && html`<${Action} label=${t("refund")} path=${`/v1/promotions/${p.id}/refund`} reason="required" body=${(r) => ({ note: r })} onDone=${reload} />`}</td></tr>`)}</tbody></table>`;
}

function Filings({ list, staff, reload }) {
  if (list.error) return html`<h2>${t("filings")}</h2><${ErrorBox} error=${list.error} />`;
  return html`<h2>${t("filings")}</h2><table><tbody>${list.filings.map((f) => html`<tr data-filing=${f.id}><td>${f.id}</td><td>${f.product}</td>
    <td>${f.streamer && `${f.streamer.nickname} (${f.streamer.id})`}</td><td data-test="filing-status" data-code=${f.status}><${Code} c=${f.status} /></td><td>${(f.reasons || []).map((r) => html`<${Code} c=${r} /> `)}</td>
    <td>${t("documents")}: ${(f.documents || []).join(", ") || "—"}</td>
    <td style="white-space:nowrap">
      ${!staff && (f.status === "pending" || f.status === "rejected") && html`<${Action} label=${t("submit")} path=${`/v1/filings/${f.id}/submit`} body=${{ documents: f.required_documents || [] }} text=${`${t("documents")}: ${(f.required_documents || []).join(", ")}`} onDone=${reload} />`}
      ${!staff && f.status === "reviewing" && html`<${Action} label=${t("withdraw")} path=${`/v1/filings/${f.id}/withdraw`} body=${{}} onDone=${reload} />`}
      ${staff && f.status === "reviewing" && html`<${Action} label=${t("approve")} test=${`approve-${f.id}`} path=${`/v1/filings/${f.id}/decision`} reason="optional" body=${(r) => ({ decision: "approve", ...(r ? { note: r } : {}) })} onDone=${reload} />
        <${Action} label=${t("reject_filing")} cls="danger" path=${`/v1/filings/${f.id}/decision`} reason="required" body=${(r) => ({ decision: "reject", note: r })} onDone=${reload} />`}
    </td></tr>`)}</tbody></table>`;
}

function Notes({ notes, id, reload }) {
  const [text, setText] = useState("");
  if (notes === null) return html`<h2>${t("notes")}</h2><p class="muted">${t("notes_off")}</p>`;
  if (notes.error) return html`<h2>${t("notes")}</h2><${ErrorBox} error=${notes.error} />`;
  return html`<h2>${t("notes")}</h2>
    ${(notes.notes || []).map((n) => html`<p><${Time} at=${n.at || n.created_at} /> <b>${(n.by && (n.by.label || n.by.key)) || n.author || ""}</b>: ${n.text}</p>`)}
    <textarea value=${text} onInput=${(e) => setText(e.target.value)}></textarea>
    <${Action} label=${t("add_note")} path="/v1/notes" body=${() => ({ subject: id, text })} onDone=${() => { setText(""); reload(); }} />`;
}
