// The console in real Chromium (Debian's, driven by playwright-core), against a real server:
// `shopwarden serve --demo` on a random port, a temporary database and a manual clock. Run by
// CTest (`make test`): node web/test/console.mjs. Environment: SW_BIN (the binary),
// SW_CHROMIUM (the browser, default /usr/bin/chromium), SW_SCREENSHOTS (where each main page's
// screenshot goes, default ./console-screenshots).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

const BIN = process.env.SW_BIN || "build/shopwarden";
const SHOTS = process.env.SW_SCREENSHOTS || "console-screenshots";
const START = "2026-12-01T09:00:00+08:00";
let server, base, keys, browser, dir;

function startServer() {
  dir = mkdtempSync(join(tmpdir(), "sw-console-"));
  const db = join(dir, "sw.db");
  const tick = spawnSync(BIN, ["tick", "--to", START, "--db", db], { encoding: "utf8" });
  assert.equal(tick.status, 0, tick.stderr);
  server = spawn(BIN, ["serve", "--db", db, "--listen", "127.0.0.1:0", "--demo", "--clock", "manual", "--threads", "4"],
    { stdio: ["ignore", "pipe", "pipe"] });
  server.stderr.resume();
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("server did not start:\n" + out)), 120000);
    server.on("exit", (code) => reject(new Error(`server exited ${code}:\n${out}`)));
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (!m) return;
      clearTimeout(timer);
      keys = Object.fromEntries([...out.matchAll(/^\s+(\S+)\s+\S+\s+(sw_\S+)$/gm)].map((x) => [x[1], x[2]]));
      resolve(m[1]);
    });
  });
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  base = await startServer();
  browser = await chromium.launch({ executablePath: process.env.SW_CHROMIUM || "/usr/bin/chromium", headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) {
    const done = new Promise((r) => server.once("exit", r));
    server.kill("SIGTERM");
    await done;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signIn(role) {
  const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: "zh-CN", timezoneId: "Europe/London" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => { throw e; });
  await page.goto(base + "/console/");
  await page.fill("input[name=key]", keys[role]);
  await page.click("button[type=submit]");
  await page.waitForSelector("[data-test=who]");
  return page;
}

// Polls from here (the page's Content-Security-Policy refuses the evaluated strings that
// page.waitForFunction needs).
async function until(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const shot = (page, name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

// Confirms the open dialog (typing a reason when it asks for one) and waits for it to close.
async function confirmDialog(page, reason = "控制台测试") {
  const box = page.locator(".dialog textarea");
  if (await box.count()) await box.fill(reason);
  await page.click("[data-test=dialog-run]");
  await page.waitForSelector(".overlay", { state: "detached" });
}

test("a store files an appeal and cannot reach another store's page", async () => {
  const page = await signIn("merchant:m1");
  await page.waitForSelector("[data-test=store-page]");
  assert.match(page.url(), /\/console\/stores\/m1$/);
  const row = page.locator("tr[data-violation=v2]");
  await row.locator("[data-test=file-appeal]").click();
  await confirmDialog(page, "账号为品牌官方客服");
  await row.locator("[data-appeal=a1]").waitFor();
  assert.equal(await row.locator("[data-appeal=a1] [data-code]").first().getAttribute("data-code"), "open");
  assert.match(await row.locator("[data-appeal=a1]").innerText(), /待处理/); // the state in the user's words
  await shot(page, "merchant-store");
  await page.goto(base + "/console/stores/m2");
  await page.waitForSelector("[data-test=store-error]");
  assert.equal(await page.locator("[data-test=store-page]").count(), 0);
  assert.match(await page.locator("[data-test=store-error]").innerText(), /not_found|不存在/);
  await page.click("[data-test=signout]");
  await page.waitForSelector("input[name=key]");
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.context().close();
});

test("a store activates its assurance badge", async () => {
  const page = await signIn("merchant:m3");
  await page.waitForSelector("[data-test=badge-state]");
  assert.equal(await page.getAttribute("[data-test=badge-state]", "data-code"), "eligible");
  assert.equal(await page.innerText("[data-test=badge-state]"), "可开通");
  await page.click("[data-test=activate-badge]");
  await confirmDialog(page);
  await until("the badge to be active", async () => (await page.getAttribute("[data-test=badge-state]", "data-code")) === "active");
  await page.context().close();
});

test("an operator confirms a queued finding", async () => {
  const page = await signIn("operator");
  await page.waitForSelector("[data-test=queue-pending_violations] tr[data-item=v1]");
  await shot(page, "queue");
  await page.keyboard.press("?");
  await page.waitForSelector("[data-test=help]");
  await shot(page, "shortcuts");
  await page.keyboard.press("Escape");
  // keyboard: select the item (x), then confirm the selection (c): the bulk dialog names the count
  await page.keyboard.press("x");
  assert.equal(await page.locator("tr[data-item=v1] input[type=checkbox]").isChecked(), true);
  await page.keyboard.press("c");
  await page.waitForSelector(".dialog");
  assert.match(await page.innerText(".dialog"), /1 项|1 item/);
  assert.equal(await page.locator("[data-test=dialog-run]").isDisabled(), true, "a reason is required");
  await confirmDialog(page, "夸大功效，属实");
  await page.waitForSelector("tr[data-item=v1]", { state: "detached" });
  await page.context().close();
});

test("an operator upholds an appeal and sees the deposit change", async () => {
  const page = await signIn("operator");
  await page.click("nav a[href='/console/queue/open_appeals']");
  await page.waitForSelector("tr[data-item=a1] [data-test=sla]");
  await page.click("tr[data-item=a1] a[href='/console/stores/m1']");
  await page.waitForSelector("[data-test=deposit-balance]");
  const before = await page.innerText("[data-test=deposit-balance]");
  await page.locator("[data-appeal=a1] [data-test=uphold]").click();
  await confirmDialog(page, "核实为官方客服账号");
  if (await page.locator("[role=status]").count()) {
    // four-eyes: the refund is above the policy's threshold; a second key approves it
    const second = await signIn("admin");
    await second.goto(base + "/console/approvals");
    await second.locator("[data-test=approve-request]").first().click();
    await confirmDialog(second);
    await second.context().close();
    await page.reload();
    await page.waitForSelector("[data-test=deposit-balance]");
  }
  await until("the deposit to change", async () => (await page.innerText("[data-test=deposit-balance]")) !== before);
  const now = await page.innerText("[data-test=deposit-balance]");
  assert.notEqual(now, before);
  assert.match(now, /^¥[\d,]+\.\d\d$/);
  // times in Asia/Shanghai (the browser runs in London), the UTC instant on hover
  const time = page.locator("[data-test=ledger] time").first();
  assert.equal(await time.innerText(), "2026-12-01 09:00:00");
  assert.equal(await time.getAttribute("title"), "UTC 2026-12-01T01:00:00.000Z");
  await shot(page, "store");
  await page.context().close();
});

test("an operator approves a filing; a retry after a network error reuses its Idempotency-Key", async () => {
  const page = await signIn("operator");
  const sent = [];
  await page.route("**/v1/filings/*/decision", async (route) => {
    sent.push(route.request().headers()["idempotency-key"]);
    if (sent.length === 1) await route.abort("connectionreset"); else await route.continue();
  });
  await page.click("nav a[href='/console/queue/filings_in_review']");
  await page.waitForSelector("tr[data-item=f2]");
  await page.locator("tr[data-item=f2] [data-test=approve]").click();
  await page.fill(".dialog textarea", "资料齐全");
  await page.click("[data-test=dialog-run]");
  await page.waitForSelector(".dialog [role=alert]");
  await page.click("[data-test=dialog-run]");
  await page.waitForSelector(".overlay", { state: "detached" });
  await page.waitForSelector("tr[data-item=f2]", { state: "detached" });
  assert.equal(sent.length, 2);
  assert.ok(sent[0]);
  assert.equal(sent[1], sent[0]);
  await page.context().close();
});

test("an abnormal quick promotion resumes once its product is listed again", async () => {
  const page = await signIn("operator");
  await page.goto(base + "/console/stores/m2");
  const status = page.locator("tr[data-promotion=pr2] [data-test=promotion-status]");
  await status.waitFor();
  assert.equal(await status.getAttribute("data-code"), "abnormal");
  await page.click("[data-test=list-p6]");
  await confirmDialog(page);
  await until("pr2 to run again", async () => (await status.getAttribute("data-code")) === "running");
  await shot(page, "store-promotions");
  await page.goto(base + "/console/audit?merchant=m2");
  await page.waitForSelector("[data-test=audit] tr[data-seq]");
  await shot(page, "audit");
  // filter by subject: only pr2's events, the resume among them
  await page.fill("input[name=subject]", "pr2");
  await page.click("[data-test=audit] button[type=submit]");
  await until("the subject filter", async () => /subject=pr2/.test(page.url()) &&
    (await page.locator("[data-test=audit] tr[data-seq]").allInnerTexts()).every((r) => r.includes("pr2")));
  assert.ok((await page.locator("[data-test=audit] tr[data-seq]").allInnerTexts()).some((r) => r.includes("promotion.resumed")));
  await page.goto(base + "/console/statements");
  await page.waitForSelector("[data-test=statements] h2");
  await shot(page, "statements");
  await page.click("text=English");
  await page.waitForSelector("nav >> text=Appeals");
  assert.match(await page.innerText("h1"), /Promoter statements/);
  await page.context().close();
});

async function api(role, method, path, body) {
  const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${keys[role]}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await r.json();
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(data)}`);
  return data;
}

test("an appeal past its SLA shows overdue, in red", async () => {
  await api("merchant:m1", "POST", "/v1/violations/v1/appeals", { reason: "功效描述有检测报告" });
  await api("operator", "POST", "/v1/admin/clock", { now: "2026-12-03T10:00:00+08:00" });
  const page = await signIn("operator");
  await page.click("nav a[href='/console/queue/open_appeals']");
  await page.waitForSelector("tr[data-item=a2] [data-test=sla]");
  assert.equal(await page.locator("tr[data-item=a2] [data-test=sla]").getAttribute("class"), "overdue");
  assert.equal(await page.locator("tr[data-item=a2] [data-test=sla]").evaluate((e) => getComputedStyle(e).color), "rgb(207, 34, 46)");
  await shot(page, "appeals");
  await page.context().close();
});

// The routes another change adds (/v1/me, claims, notes, four-eyes approvals), answered here
// in the shapes that change defines: the console shows them, and the API's refusals as they are.
test("claims, notes and four-eyes approvals, in the shapes of their routes", async () => {
  const page = await signIn("operator");
  const json = (route, status, body) => route.fulfill({ status, contentType: "application/json", body: JSON.stringify(body) });
  const claims = [];
  await page.route("**/v1/me", (r) => json(r, 200, { role: "operator", name: "值班运营 A", merchant_id: null, permissions: [] }));
  await page.route("**/v1/queue/claims", (r) => {
    if (r.request().method() === "POST") {
      const { item } = r.request().postDataJSON();
      claims.push({ item, holder: "demo-operator", until: "2026-12-03T02:30:00Z" });
      return json(r, 201, claims[claims.length - 1]);
    }
    return json(r, 200, { claims, next_after: null, has_more: false });
  });
  await page.route("**/v1/notes?*", (r) => json(r, 200, { notes: [], next_after: null, has_more: false }));
  await page.route("**/v1/approvals", (r) => json(r, 200, { approvals: [{ id: "ap1", status: "pending", command: "appeal.decide", subject: "a9", amount_fen: 500000, created_at: "2026-12-03T01:00:00Z" }], next_after: null, has_more: false }));
  await page.route("**/v1/approvals/ap1/approve", (r) => json(r, 422, { error: { code: "self_approval", message: "the key that asked for 'ap1' cannot approve it", details: {}, request_id: "x" } }));
  await page.reload();
  await page.waitForSelector("[data-test=who]");
  assert.match(await page.innerText("[data-test=who]"), /值班运营 A/);
  await page.click("nav a[href='/console/queue/qualifications_in_review']");
  const row = page.locator("tr[data-item=q5]");
  await row.locator("text=认领").click();
  await confirmDialog(page); // a claim is a write: confirmed, with its Idempotency-Key
  await row.locator("text=释放").waitFor();
  assert.match(await row.innerText(), /demo-operator/);
  assert.equal(await row.locator("text=添加备注").count(), 1);
  await page.click("nav a[href='/console/approvals']");
  await page.locator("[data-test=approve-request]").click();
  await page.click("[data-test=dialog-run]");
  assert.equal(await page.innerText(".dialog [role=alert]"), "the key that asked for 'ap1' cannot approve it");
  await page.context().close();
});

// A what-if replay from the console (docs/replay.md): a draft that lowers the diversion
// deduction, its totals and the differences, read as the job finishes.
test("an admin replays the log under a draft policy and reads the differences", async () => {
  const src = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "data", "policy", "default.json");
  const draft = JSON.parse(readFileSync(src, "utf8"));
  draft.version = "console-draft-1";
  const div = draft.penalties.types.external_diversion.deduct_fen;
  for (const k of Object.keys(div)) div[k] = 100;
  const page = await signIn("admin");
  await page.click("nav a[href='/console/replays']");
  await page.fill("textarea[name=policy]", JSON.stringify(draft));
  await page.click("[data-test=replay-run]");
  await page.waitForSelector("[data-test=replay]");
  await until("the replay to finish", async () => (await page.innerText("[data-test=replay-status]")) !== "running", 60000);
  assert.equal(await page.innerText("[data-test=replay-status]"), "done");
  await page.waitForSelector("[data-test=replay-totals]");
  const diffs = await page.innerText("[data-test=replay-differences]");
  assert.match(diffs, /violation/);
  await shot(page, "replay");
  await page.context().close();
});

// Every action the API allows from a store's page is a button with a confirmation, with the
// body its route takes (the ban's reason), and what a row shows is in the user's words.
test("an operator bans and unbans a product and restricts and reinstates a store from its page", async () => {
  const page = await signIn("operator");
  const bodies = [];
  page.on("request", (r) => { if (r.method() === "POST" && /\/(ban|unban|restrict|reinstate)$/.test(r.url())) bodies.push([r.url().replace(base, ""), r.postData(), r.headers()["idempotency-key"]]); });
  await page.goto(base + "/console/stores/m2");
  await page.click("[data-test=ban-p3]");
  await confirmDialog(page, "抽检不合格");
  await until("p3 to be banned", async () => (await page.getAttribute("tr[data-product=p3] [data-code]", "data-code")) === "banned");
  assert.equal(await page.innerText("tr[data-product=p3] [data-code=banned]"), "已封禁");
  await page.click("[data-test=unban-p3]");
  await confirmDialog(page, "复检合格");
  await until("p3 to be delisted", async () => (await page.getAttribute("tr[data-product=p3] [data-code]", "data-code")) === "delisted");
  await page.click("[data-test=restrict]");
  await confirmDialog(page, "多次违规，限制经营");
  await until("m2 to hold an operator restriction", async () => (await api("operator", "GET", "/v1/merchants/m2")).holds.includes("operator"));
  await page.click("[data-test=reinstate]");
  await confirmDialog(page, "整改完成");
  await until("m2's operator hold to be lifted", async () => !(await api("operator", "GET", "/v1/merchants/m2")).holds.includes("operator"));
  assert.deepEqual(bodies.map((b) => [b[0], JSON.parse(b[1])]), [
    ["/v1/products/p3/ban", { reason: "抽检不合格" }], ["/v1/products/p3/unban", { reason: "复检合格" }],
    ["/v1/merchants/m2/restrict", { reason: "多次违规，限制经营" }], ["/v1/merchants/m2/reinstate", { reason: "整改完成" }]]);
  assert.ok(bodies.every((b) => b[2] && b[2].startsWith("console-")), "each write has its Idempotency-Key");
  await page.context().close();
});

test("a bulk action reports each refusal and re-sends only what did not succeed", async () => {
  for (const p of ["p1", "p2"]) await api("merchant:m1", "PATCH", `/v1/products/${p}`, { detail: "七天消除皱纹" });
  const ids = (await api("operator", "GET", "/v1/queue")).pending_violations.map((v) => v.id);
  assert.ok(ids.length >= 2, JSON.stringify(ids));
  const op2 = (await api("admin", "POST", "/v1/admin/keys", { role: "operator", id: "op-bulk" })).result.key;
  const as2 = (method, path, body) => fetch(base + path, { method, headers: { Authorization: `Bearer ${op2}`, "Content-Type": "application/json" }, body: body && JSON.stringify(body) });
  assert.equal((await as2("POST", "/v1/queue/claims", { item: ids[1] })).status, 201);
  const page = await signIn("operator");
  const sent = [];
  page.on("request", (r) => { if (/\/confirm$/.test(r.url())) sent.push([r.url().replace(base, ""), r.headers()["idempotency-key"]]); });
  for (const id of ids) await page.check(`tr[data-item=${id}] input[type=checkbox]`);
  await page.click(".bulk button >> nth=0");
  await page.fill(".dialog textarea", "属实");
  await page.click("[data-test=dialog-run]");
  await page.waitForSelector("[data-test=dialog-errors]");
  assert.match(await page.innerText("[data-test=dialog-errors]"), new RegExp(`'${ids[1]}' is claimed by op-bulk`));
  assert.equal(sent.length, ids.length, "one request per item");
  const key = sent.find(([u]) => u.includes(`/${ids[1]}/`))[1];
  assert.equal((await as2("DELETE", `/v1/queue/claims/${ids[1]}`)).status, 200);
  sent.length = 0;
  await page.click("[data-test=dialog-run]"); // the retry: only what did not succeed, same key
  await page.waitForSelector(".overlay", { state: "detached" });
  assert.deepEqual(sent, [[`/v1/violations/${ids[1]}/confirm`, key]]);
  for (const id of ids) assert.equal((await api("operator", "GET", `/v1/violations/${id}`)).status, "in_force");
  await page.context().close();
});

test("a claim is confirmed and carries its Idempotency-Key; an appeal carries its evidence", async () => {
  await api("merchant:m2", "PATCH", "/v1/products/p6", { detail: "吃了降血压" });
  const item = (await api("operator", "GET", "/v1/queue")).pending_violations.find((v) => v.merchant === "m2").id;
  const page = await signIn("operator");
  const claims = [];
  page.on("request", (r) => { if (r.url().endsWith("/v1/queue/claims") && r.method() === "POST") claims.push(r.headers()["idempotency-key"]); });
  await page.waitForSelector(`tr[data-item=${item}]`);
  await page.locator(`tr[data-item=${item}]`).click();
  await page.keyboard.press("m");
  await page.waitForSelector(".dialog");
  assert.equal(claims.length, 0, "nothing is sent before the confirmation");
  await confirmDialog(page);
  assert.equal(claims.length, 1);
  assert.ok(claims[0] && claims[0].startsWith("console-"));
  await page.context().close();
  // the merchant's appeal form takes file references as evidence
  await api("operator", "POST", `/v1/violations/${item}/confirm`, { note: "属实" });
  const store = await signIn("merchant:m2");
  const row = store.locator(`tr[data-violation=${item}]`);
  await row.locator("[data-test=file-appeal]").click();
  await store.fill(".dialog input[name=evidence]", "files/检测报告.pdf, files/资质.jpg");
  await confirmDialog(store, "产品有检测报告");
  const v = await api("operator", "GET", `/v1/violations/${item}`);
  assert.deepEqual(v.appeals.list[v.appeals.list.length - 1].evidence, ["files/检测报告.pdf", "files/资质.jpg"]);
  await store.context().close();
});

test("a key whose role has no console page is shown none and asks for nothing it may not read", async () => {
  const page = await signIn("analyst:a1");
  const asked = [];
  page.on("request", (r) => { if (r.url().includes("/v1/")) asked.push(r.url().replace(base, "")); });
  await page.reload();
  await page.waitForSelector("[data-test=no-pages]");
  assert.ok(!asked.some((u) => u.startsWith("/v1/affiliate/statements")), asked.join(" "));
  await page.context().close();
  const store = await signIn("merchant:m1");
  const reads = [];
  store.on("response", (r) => { if (r.url().includes("/v1/")) reads.push([r.url().replace(base, ""), r.status()]); });
  await store.reload();
  await store.waitForSelector("[data-test=store-page]");
  assert.deepEqual(reads.filter(([, s]) => s === 403), [], "a store's page reads only what a store may");
  await store.context().close();
});
