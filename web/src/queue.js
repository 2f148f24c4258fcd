// The operators' work queues: oldest first, claim / release, bulk actions with the count and a
// required reason shown before they run, keyboard shortcuts, the appeals' SLA countdown.
import { useEffect, useState } from "preact/hooks";
import { get, optional } from "./api.js";
import { Code, Time, duration, yuan } from "./fmt.js";
import { html } from "./html.js";
import { t } from "./i18n.js";
import { Link, navigate } from "./router.js";
import { Action, ErrorBox, dialogs, useLoad } from "./ui.js";

export const SHORTCUTS = [["j", "k_next"], ["k", "k_prev"], ["x", "k_select"], ["c", "k_confirm"],
  ["d", "k_dismiss"], ["m", "k_claim"], ["o", "k_open"], ["?", "k_help"], ["Esc", "k_close"]];

const note = (r) => (r ? { note: r } : {});
const decision = (d) => (r) => ({ decision: d, ...note(r) });

// Each queue: where its items come from, its oldest-first key, and its two actions
// (the primary one on "c", the other on "d").
const KINDS = {
  pending_violations: {
    head: ["id", "type", "product", "findings"],
    from: (q) => q.pending_violations, at: (i) => i.created_at,
    actions: [["confirm", (i) => `/v1/violations/${i.id}/confirm`, note], ["dismiss", (i) => `/v1/violations/${i.id}/dismiss`, note]],
    row: (i) => html`<td>${i.id}</td><td><${Code} c=${i.type} /> <span class="pill"><${Code} c=${i.severity} /></span></td>
      <td>${i.product}</td><td>${(i.findings || []).map((f) => html`<div><mark>${f.excerpt}</mark> <span class="muted">${f.rule} · ${f.policy_version}</span></div>`)}
      ${i.product_changed && html`<div class="warn">${t("product_changed")} (v${i.product_version} → v${i.product_version_now})</div>`}</td>`,
  },
  open_appeals: {
    head: ["id", "violations", "reason_col", "sla"],
    from: (q) => q.open_appeals, at: (i) => i.created_at,
    actions: [["uphold", (i) => `/v1/appeals/${i.id}/decision`, decision("uphold")], ["reject", (i) => `/v1/appeals/${i.id}/decision`, decision("reject")]],
    row: (i, now) => html`<td>${i.id}</td><td>${i.violation}</td><td>${i.reason}</td><td><${Sla} due=${i.due_at} now=${now} overdue=${i.overdue} /></td>`,
  },
  rectification_reports: {
    head: ["violations", "report"],
    from: (q) => q.rectification_reports, at: (i) => (i.rectification_report && i.rectification_report.submitted_at) || i.updated_at,
    actions: [["accept", (i) => `/v1/violations/${i.id}/rectification/decision`, decision("accept")],
      ["reject", (i) => `/v1/violations/${i.id}/rectification/decision`, decision("reject")]],
    row: (i) => html`<td>${i.id} <span class="muted"><${Code} c=${i.type} /></span></td><td colspan="3">${(i.rectification_report && i.rectification_report.report) || ""}
      ${((i.rectification_report && i.rectification_report.evidence) || []).map((e) => html` <span class="pill">${e}</span>`)}</td>`,
  },
  qualifications_in_review: {
    head: ["id", "code", "documents", "expires"],
    from: (q) => q.qualifications_in_review, at: (i) => i.submitted_at,
    actions: [["approve", (i) => `/v1/qualifications/${i.id}/decision`, decision("approve")], ["reject_filing", (i) => `/v1/qualifications/${i.id}/decision`, decision("reject")]],
    row: (i) => html`<td>${i.id}</td><td>${i.code}</td><td>${(i.documents || []).join(", ")}</td><td><${Time} at=${i.expires_at} /></td>`,
  },
  filings_in_review: {
    head: ["id", "product", "streamer", "reasons"],
    from: (q) => q.filings_in_review, at: (i) => i.submitted_at,
    actions: [["approve", (i) => `/v1/filings/${i.id}/decision`, decision("approve")], ["reject_filing", (i) => `/v1/filings/${i.id}/decision`, decision("reject")]],
    row: (i) => html`<td>${i.id}</td><td>${i.product}</td><td>${i.streamer && i.streamer.nickname} (${i.streamer && i.streamer.id})</td><td>${(i.reasons || []).map((r) => html`<${Code} c=${r} /> `)}</td>`,
  },
  review_failed: {
    head: ["id", "product", "price", "reasons"],
    load: async () => (await get("/v1/promotions?status=review_failed&limit=200")).promotions, at: (i) => i.created_at,
    actions: [["refund", (i) => `/v1/promotions/${i.id}/refund`, note]],
    row: (i) => html`<td>${i.id}</td><td>${i.product}</td><td>${yuan(i.price_fen)}</td><td>${(i.reasons || []).map((r) => html`<div><${Code} c=${r.code} /> <span class="muted">${r.rule}</span></div>`)}</td>`,
  },
  flagged_orders: {
    head: ["id", "promoter", "amount", "flags"],
    load: async () => (await get("/v1/affiliate/orders?limit=200")).orders.filter((o) => (o.flags || []).some((f) => f.state === "open")),
    at: (i) => (i.flags.find((f) => f.state === "open") || {}).at,
    actions: [["confirm", (i) => `/v1/affiliate/orders/${i.id}/review`, decision("confirm")], ["dismiss", (i) => `/v1/affiliate/orders/${i.id}/review`, decision("clear")]],
    row: (i) => html`<td>${i.id}</td><td>${i.promoter}</td><td>${yuan(i.paid_amount_fen)}</td><td>${i.flags.filter((f) => f.state === "open").map((f) => html`<div><${Code} c=${f.rule} />: <${Code} c=${f.reason} /></div>`)}</td>`,
  },
  affiliate_alerts: {
    head: ["id", "details"],
    from: (q) => q.affiliate_alerts || [], at: (i) => i.hour, actions: [],
    row: (i) => html`<td>${i.id}</td><td colspan="3">${t("promoter")} ${i.promoter}: ${i.count} / h (baseline ${Number(i.baseline).toFixed(1)}) — ${(i.orders || []).join(", ")}</td>`,
  },
};

function Sla({ due, now, overdue }) {
  if (!due) return html`<span class="muted">—</span>`;
  const left = new Date(due) - now;
  const late = overdue || left <= 0;
  return html`<span class=${late ? "overdue" : left < 6 * 3600e3 ? "warn" : ""} data-test="sla" title=${"UTC " + due}>
    ${late ? `${t("overdue")} ${duration(-left)}` : `${t("due_in")} ${duration(left)}`}</span>`;
}

// The counts in the navigation: one read of the queue (each part's first 200) and the lists.
export async function queueCounts() {
  const q = await get("/v1/queue?limit=200");
  const c = { overdue_appeals: q.overdue_appeals };
  for (const k of ["pending_violations", "open_appeals", "rectification_reports", "qualifications_in_review", "filings_in_review", "affiliate_alerts"])
    c[k] = (q[k] || []).length;
  const [rf, fo, ap] = await Promise.allSettled([KINDS.review_failed.load(), KINDS.flagged_orders.load(), optional("/v1/approvals")]);
  c.review_failed = rf.status === "fulfilled" ? rf.value.length : null;
  c.flagged_orders = fo.status === "fulfilled" ? fo.value.length : null;
  c.approvals = ap.status === "fulfilled" && ap.value ? (ap.value.approvals || []).filter((a) => a.status === "pending").length : null;
  return c;
}

async function loadQueue(kind) {
  const k = KINDS[kind];
  const [items, clock, claims, notes] = await Promise.all([
    k.load ? k.load() : get("/v1/queue?limit=200").then(k.from),
    get("/v1/admin/clock").catch(() => null),
    optional("/v1/queue/claims").catch(() => null),
    // internal notes exist when the route does (any other answer than route_not_found)
    optional("/v1/notes?subject=queue").then((n) => n !== null, () => true),
  ]);
  const sorted = [...(items || [])].sort((a, b) => String(k.at(a) || "").localeCompare(String(k.at(b) || "")));
  const held = {};
  for (const c of (claims && claims.claims) || []) held[c.item] = c;
  return { items: sorted, notes, serverNow: clock ? new Date(clock.now).getTime() : Date.now(), loadedAt: Date.now(), claims, held };
}

export function QueuePage({ who, kind, onChange }) {
  const k = KINDS[kind];
  const { data, error, loading, reload } = useLoad(() => (k ? loadQueue(kind) : Promise.resolve(null)), [kind]);
  const [sel, setSel] = useState(new Set());
  const [cursor, setCursor] = useState(0);
  const [, setTick] = useState(0);
  useEffect(() => { const id = setInterval(() => setTick((x) => x + 1), 30000); return () => clearInterval(id); }, []);
  const items = (data && data.items) || [];
  const done = () => { setSel(new Set()); reload(); onChange && onChange(); };
  const holder = (i) => i.claimed_by || (data && data.held[i.id] && data.held[i.id].holder);
  const until = (i) => i.claimed_until || (data && data.held[i.id] && data.held[i.id].until);
  const claimsOn = data && data.claims !== null;
  const run = (a, list) => {
    const [label, path, body] = a;
    dialogs.open({ title: `${t(label)} · ${t(kind)}`, reason: "required", onDone: done, bulk: true,
      steps: list.map((i) => ({ method: "POST", path: path(i), body, label: i.id })) });
  };
  // a claim or its release is a write like any other: confirmed, with its Idempotency-Key
  const claim = (i) => {
    const mine = holder(i);
    dialogs.open({ title: `${mine ? t("release_confirm") : t("claim_confirm")} · ${i.id}`, onDone: reload,
      steps: [mine ? { method: "DELETE", path: `/v1/queue/claims/${encodeURIComponent(i.id)}`, label: i.id }
                   : { method: "POST", path: "/v1/queue/claims", body: () => ({ item: i.id }), label: i.id }] });
  };
  useEffect(() => {
    const onKey = (e) => {
      if (dialogs.isOpen || (e.target.closest && e.target.closest("input, textarea, select")) || !items.length) return;
      const cur = items[Math.min(cursor, items.length - 1)];
      if (e.key === "j") setCursor((c) => Math.min(c + 1, items.length - 1));
      else if (e.key === "k") setCursor((c) => Math.max(c - 1, 0));
      else if (e.key === "x") { const s = new Set(sel); s.has(cur.id) ? s.delete(cur.id) : s.add(cur.id); setSel(s); }
      else if ((e.key === "c" || e.key === "d") && k.actions.length) {
        const a = k.actions[e.key === "c" ? 0 : Math.min(1, k.actions.length - 1)];
        run(a, sel.size ? items.filter((i) => sel.has(i.id)) : [cur]);
      } else if (e.key === "m" && claimsOn) claim(cur);
      else if (e.key === "o" && cur.merchant) navigate(`/stores/${cur.merchant}`);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });
  if (!k) return html`<div class="notice">${t("not_found")}</div>`;
  const now = data ? data.serverNow + (Date.now() - data.loadedAt) : Date.now();
  const chosen = items.filter((i) => sel.has(i.id));
  return html`<div data-test=${"queue-" + kind}>
    <h1>${t(kind)} <span class="muted">(${items.length})</span></h1>
    ${loading && html`<p class="muted">${t("loading")}</p>`}
    <${ErrorBox} error=${error} />
    ${data && !claimsOn && html`<p class="muted">${t("claims_off")}</p>`}
    ${k.actions.length > 0 && html`<div class="bulk">${t("selected", chosen.length)}
      ${k.actions.map((a) => html`<button disabled=${!chosen.length} onClick=${() => run(a, chosen)}>${t("bulk")}: ${t(a[0])} (${chosen.length})</button>`)}</div>`}
    ${data && !items.length && html`<p class="muted">${t("nothing")}</p>`}
    ${items.length > 0 && html`<table><thead><tr><th></th><th>${t("merchant")}</th>${k.head.map((h, n) => html`<th colspan=${n === k.head.length - 1 ? 5 - k.head.length : 1}>${t(h)}</th>`)}<th>${t("time")}</th><th>${t("claimed_by")}</th><th></th></tr></thead><tbody>
      ${items.map((i, n) => html`<tr class=${n === cursor ? "cursor" : ""} data-item=${i.id} onClick=${() => setCursor(n)}>
        <td><input type="checkbox" aria-label=${i.id} checked=${sel.has(i.id)} onChange=${() => { const s = new Set(sel); s.has(i.id) ? s.delete(i.id) : s.add(i.id); setSel(s); }} /></td>
        <td>${i.merchant ? html`<${Link} to=${`/stores/${i.merchant}`}>${i.merchant}</${Link}>` : "—"}</td>
        ${k.row(i, now)}
        <td><${Time} at=${k.at(i)} /></td>
        <td>${holder(i) ? html`${holder(i)} <span class="muted">→ <${Time} at=${until(i)} /></span>` : ""}</td>
        <td style="white-space:nowrap">
          ${claimsOn && html`<button onClick=${() => claim(i)}>${holder(i) ? t("release") : t("claim")}</button>`}
          ${k.actions.map((a) => html`<button data-test=${a[0]} onClick=${() => run(a, [i])}>${t(a[0])}</button>`)}
          ${data.notes && html`<${Action} label=${t("add_note")} title=${`${t("notes")} · ${i.id}`} path="/v1/notes" reason="required" body=${(r) => ({ subject: i.id, text: r })} />`}
        </td></tr>`)}
    </tbody></table>`}
  </div>`;
}
