// What-if replays (docs/replay.md): start one with a draft policy, follow its progress, then
// read its totals, the rules' hits on each side and the differences, paged.
import { useEffect, useState } from "preact/hooks";
import { call, get } from "./api.js";
import { yuan } from "./fmt.js";
import { html } from "./html.js";
import { t } from "./i18n.js";
import { Link, navigate } from "./router.js";
import { ErrorBox, useLoad } from "./ui.js";

// A report part as rows of (name, value): numbers stay numbers, *_fen in yuan.
function rows(obj, prefix = "") {
  const out = [];
  for (const [k, v] of Object.entries(obj || {})) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object" && !Array.isArray(v)) out.push(...rows(v, name));
    else out.push([name, typeof v === "number" && /fen/.test(k) ? yuan(v) : String(v)]);
  }
  return out;
}

export function ReplayStartPage() {
  const [text, setText] = useState("");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const start = async (e) => {
    e.preventDefault();
    let policy;
    try { policy = JSON.parse(text); } catch (err) { setError(new Error(t("replay_bad_json") + ": " + err.message)); return; }
    setBusy(true);
    setError(null);
    try {
      const r = await call("POST", "/v1/admin/replays", { policy });
      const job = r.data.result || r.data;
      navigate(`/replays/${job.id}`);
    } catch (err) { setError(err); } finally { setBusy(false); }
  };
  return html`<div data-test="replay-start"><h1>${t("replays")}</h1>
    <p class="muted">${t("replay_hint")}</p>
    <form onSubmit=${start}>
      <label>${t("replay_policy")}<textarea name="policy" rows="14" style="width:100%;font-family:monospace"
        value=${text} onInput=${(e) => setText(e.target.value)} /></label>
      <${ErrorBox} error=${error} />
      <button class="primary" type="submit" data-test="replay-run" disabled=${busy || !text.trim()}>${t("replay_run")}</button>
    </form></div>`;
}

export function ReplayPage({ id }) {
  const [after, setAfter] = useState(null);
  const { data, error, reload } = useLoad(
    () => get(`/v1/admin/replays/${encodeURIComponent(id)}?limit=50${after ? `&after=${after}` : ""}`), [id, after]);
  const running = data && data.status === "running";
  useEffect(() => {
    if (!running) return undefined;
    const timer = setTimeout(reload, 1500);
    return () => clearTimeout(timer);
  }, [data]);
  if (error) return html`<div><h1>${t("replays")} ${id}</h1><${ErrorBox} error=${error} /></div>`;
  if (!data) return html`<p class="muted">${t("loading")}</p>`;
  const p = data.progress || {};
  const diffs = data.differences || [];
  return html`<div data-test="replay"><h1>${t("replays")} ${data.id || id}</h1>
    <p>${t("status")}: <b data-test="replay-status">${data.status}</b>
      ${p.commands_total ? html` · ${p.commands_done || 0} / ${p.commands_total}` : ""}${data.policy_version ? html` · ${t("replay_draft")} ${data.policy_version}` : ""}</p>
    ${data.error && html`<div class="error" role="alert">${data.error}</div>`}
    ${data.totals && html`<h2>${t("replay_totals")}</h2><table data-test="replay-totals"><tbody>
      ${rows(data.totals).map(([k, v]) => html`<tr><td>${k}</td><td>${v}</td></tr>`)}</tbody></table>`}
    ${Array.isArray(data.rules) && data.rules.length > 0 && html`<h2>${t("replay_rules")}</h2><table><thead><tr>
      <th>${t("rule")}</th><th>${t("replay_recorded")}</th><th>${t("replay_would_be")}</th></tr></thead><tbody>
      ${data.rules.map((r) => html`<tr class=${r.changed ? "group-start" : ""}><td>${r.rule}${r.mark ? html` <span class="muted">(${r.mark})</span>` : ""}</td>
        <td>${r.recorded}</td><td>${r.would_be}</td></tr>`)}</tbody></table>`}
    ${data.status !== "running" && html`<h2>${t("replay_differences")}</h2>
      ${!diffs.length && html`<p class="muted">${t("nothing")}</p>`}
      <table data-test="replay-differences"><tbody>${diffs.map((d) => html`<tr>
        <td>${d.subject}</td><td>${d.kind}</td><td>${d.change}</td>
        <td class=${d.fen_delta < 0 ? "bad" : ""}>${d.fen_delta !== undefined && d.fen_delta !== null ? yuan(d.fen_delta) : ""}</td>
        <td>${d.summary || ""}</td></tr>`)}</tbody></table>
      ${data.has_more && html`<button onClick=${() => setAfter(data.next_after)}>${t("more")} →</button>`}`}
    <p><${Link} to="/replays">${t("replays")}</${Link}></p>
  </div>`;
}
