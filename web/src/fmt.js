// Money in yuan with two decimals (from integer fen, no floating point), instants in
// Asia/Shanghai with the UTC instant on hover.
import { html } from "./html.js";
import { label } from "./i18n.js";

export function yuan(fen) {
  if (fen === null || fen === undefined) return "—";
  const neg = fen < 0, a = Math.abs(fen);
  const whole = Math.floor(a / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}¥${whole}.${String(a % 100).padStart(2, "0")}`;
}

const shanghai = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
});

export function local(iso) { return iso ? shanghai.format(new Date(iso)) : "—"; }

export function Time({ at }) {
  if (!at) return html`<span class="muted">—</span>`;
  return html`<time datetime=${at} title=${"UTC " + new Date(at).toISOString()}>${local(at)}</time>`;
}

export function duration(ms) {
  const neg = ms < 0, s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  return (neg ? "-" : "") + (d ? `${d}d ` : "") + `${h}h ${String(m).padStart(2, "0")}m`;
}

// A code of the API (status, type, service...) in the user's language, the code on hover.
export function Code({ c }) {
  if (c === null || c === undefined || c === "") return "";
  return html`<span title=${c} data-code=${c}>${label(c)}</span>`;
}
