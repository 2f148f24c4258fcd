// The console calls the same /v1 routes as any client, with the key its user signed in with.
// The key lives in sessionStorage only (gone with the tab, cleared on sign-out).
const KEY = "sw.key";

export const session = {
  key: () => sessionStorage.getItem(KEY),
  set: (k) => sessionStorage.setItem(KEY, k),
  clear: () => sessionStorage.removeItem(KEY),
};

// An API error: the server's {error:{code,message}} as it is, or a network failure.
export class ApiError extends Error {
  constructor(status, code, message, network = false) {
    super(message);
    this.status = status;
    this.code = code;
    this.network = network;
  }
}

export async function call(method, path, body, idem) {
  const headers = { Authorization: `Bearer ${session.key()}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (idem) headers["Idempotency-Key"] = idem;
  let r;
  try {
    r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, "network", String(e.message || e), true);
  }
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!r.ok) {
    const e = data && data.error;
    throw new ApiError(r.status, e ? e.code : "http_" + r.status, e ? e.message : text || r.statusText);
  }
  return { status: r.status, data };
}

export const get = async (path) => (await call("GET", path)).data;

// GET that answers null on 404: for routes another change adds (claims, notes, approvals, me).
export async function optional(path) {
  try { return await get(path); } catch (e) { if (e.status === 404 && e.code === "route_not_found") return null; throw e; }
}

// A fresh Idempotency-Key for one user action; a retry of that action reuses it.
export function newIdem() {
  return "console-" + (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
}

// Who the key is: GET /v1/me, or, on a server without it, a probe: the staff queue answers
// 200 to staff; a store's key reads its own store's events (the first names its store).
export async function whoami() {
  const me = await optional("/v1/me");
  if (me) return { role: String(me.role).split(":")[0], name: me.name, merchant: me.merchant_id || null, permissions: me.permissions || [] };
  try {
    await get("/v1/queue?limit=1");
    return { role: "operator", name: null, merchant: null, permissions: [] };
  } catch (e) {
    if (e.status !== 403) throw e;
  }
  const ev = await get("/v1/events?limit=1").catch((e) => { if (e.status === 403) return { events: [] }; throw e; });
  const m = ev.events.length ? ev.events[0].merchant : null;
  return { role: m ? "merchant" : "other", name: null, merchant: m, permissions: [] };
}

export const isStaff = (who) => who && (who.role === "operator" || who.role === "admin");
