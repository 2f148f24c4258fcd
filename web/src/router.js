import { html } from "./html.js";

export const BASE = "/console";

export function navigate(path) {
  history.pushState(null, "", BASE + path);
  window.dispatchEvent(new Event("popstate"));
}

export function Link({ to, children, ...rest }) {
  return html`<a href=${BASE + to} onClick=${(e) => { if (!e.ctrlKey && !e.metaKey) { e.preventDefault(); navigate(to); } }} ...${rest}>${children}</a>`;
}
