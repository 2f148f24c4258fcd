// Shared pieces: the confirmation dialog every action goes through, the error box (the API's
// message as it is), and the uPlot chart wrapper.
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import { call, newIdem } from "./api.js";
import { html } from "./html.js";
import { t } from "./i18n.js";

let openDialog = () => {};
export const dialogs = { open: (d) => openDialog(d), isOpen: false };

// One action: steps [{method, path, body(reason, values), label}] run in order once confirmed.
// Each step has its own Idempotency-Key, made when the dialog opens and reused by any retry, so
// a retried write never runs twice. A step the API refuses is reported with the API's message
// (each of a bulk action's), the others go on, and the dialog stays open: a retry re-sends only
// what did not succeed. A network error stops the run and offers the same retry.
export function DialogHost() {
  const [d, setD] = useState(null);
  const [reason, setReason] = useState("");
  const [values, setValues] = useState({});
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState([]);
  const [progress, setProgress] = useState(0);
  openDialog = (next) => {
    setReason(""); setValues({}); setErrors([]); setBusy(false); setProgress(0);
    setD({ ...next, idems: next.steps.map(() => newIdem()), done: [] });
  };
  dialogs.isOpen = !!d;
  if (!d) return null;
  const close = () => setD(null);
  const run = async () => {
    setBusy(true); setErrors([]);
    const results = [], refused = [];
    for (let i = 0; i < d.steps.length; i++) {
      if (d.done[i]) continue;
      const s = d.steps[i];
      try {
        const r = await call(s.method, s.path, s.body ? s.body(reason.trim(), values) : undefined, d.idems[i]);
        d.done[i] = true; results.push(r); setProgress(d.done.filter(Boolean).length);
      } catch (e) {
        const where = d.steps.length > 1 ? `[${s.label || s.path}] ` : "";
        refused.push({ message: `${where}${e.network ? t("network_error") + " " : ""}${e.message}`, network: e.network, code: e.code });
        if (e.network) break; // the rest waits for the retry, with the same keys
      }
    }
    setBusy(false);
    if (results.some((r) => r.status === 202 && r.data && r.data.approval))
      window.dispatchEvent(new CustomEvent("sw-toast", { detail: t("four_eyes") }));
    if (refused.length) { setErrors(refused); if (results.length && d.onDone) d.onDone(results); return; }
    close();
    d.onDone && d.onDone(results);
  };
  const needReason = d.reason === "required";
  const missing = (d.fields || []).some((f) => f.required && !String(values[f.name] || "").trim());
  const left = d.steps.length - d.done.filter(Boolean).length;
  return html`<div class="overlay" role="dialog" aria-modal="true" onKeyDown=${(e) => e.key === "Escape" && close()}>
    <div class="dialog">
      <h3>${d.title}</h3>
      ${(d.bulk || d.steps.length > 1) && html`<p data-test="dialog-count"><b>${t("count_will_run", d.steps.length)}</b> ${d.steps.map((s) => s.label).join(", ")}</p>`}
      ${d.text && html`<p>${d.text}</p>`}
      ${(d.fields || []).map((f) => html`<label>${f.label}<input name=${f.name} type=${f.type || "text"} step=${f.step} value=${values[f.name] || ""}
        onInput=${(e) => setValues({ ...values, [f.name]: e.target.value })} /></label>`)}
      ${d.reason && html`<label>${needReason ? t("reason") : t("note")}<textarea name="reason" autofocus value=${reason} onInput=${(e) => setReason(e.target.value)}></textarea></label>`}
      ${d.steps.length > 1 && progress > 0 && html`<p class="muted">${progress} / ${d.steps.length}</p>`}
      ${errors.length > 0 && html`<div class="error" role="alert" data-test="dialog-errors">
        ${d.steps.length > 1 && html`<b>${t("refusals")} (${errors.length})</b>`}${errors.map((e) => html`<div>${e.message}</div>`)}</div>`}
      <div style="margin-top:12px">
        <button class="primary" data-test="dialog-run" disabled=${busy || (needReason && !reason.trim()) || missing} onClick=${run}>
          ${errors.length ? (d.steps.length > 1 ? `${t("retry_failed")} (${left})` : t("retry")) : t("run")}</button>
        <button onClick=${close}>${t("cancel")}</button>
      </div>
    </div>
  </div>`;
}

// A button that opens the confirmation dialog for one write.
export function Action({ label, title, method = "POST", path, body, reason, text, fields, onDone, cls, test }) {
  const click = () => dialogs.open({ title: title || label, text, reason, fields, onDone,
    steps: [{ method, path, body: body === undefined ? undefined : typeof body === "function" ? body : () => body }] });
  return html`<button class=${cls || ""} data-test=${test} onClick=${click}>${label}</button>`;
}

export function ErrorBox({ error }) {
  if (!error) return null;
  return html`<div class="error" role="alert">${error.message}</div>`;
}

// Loads data with fn(); reload() runs it again. A 404 answers {error} like any other error.
export function useLoad(fn, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    fn().then((data) => live && setState({ data, error: null, loading: false }),
              (error) => live && setState({ data: null, error, loading: false }));
    return () => { live = false; };
  }, [...deps, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}

// A uPlot chart; data is uPlot's column arrays ([xs, ys1, ...]).
export function Chart({ opts, data, test }) {
  const el = useRef(null);
  useEffect(() => {
    if (!el.current) return;
    const width = Math.max(320, Math.min(760, el.current.clientWidth || 640));
    const plot = new uPlot({ width, height: 220, ...opts }, data, el.current);
    return () => plot.destroy();
  }, [JSON.stringify(data), JSON.stringify(opts.series.map((s) => s.label))]);
  return html`<div ref=${el} data-test=${test}></div>`;
}
