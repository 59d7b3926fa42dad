#!/usr/bin/env node
// A customer's site on another origin than the bridge, as site-embed.test.mjs walks it: a
// checkout page ("continue in the app", a handoff made with a publishable key pinned to this
// origin), a login page (`mode="login"`) and the backend endpoint that exchanges the login's
// ticket with a secret key (docs/logins.md). Every page is served under a strict
// Content-Security-Policy: no 'unsafe-inline', script-src naming the bridge, a nonce per page.
//
// Run it by hand against `npm run dev`:
//   node test/browser/shop-server.mjs http://localhost:8787 qb_pk_… qb_sk_… [port]
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

/** The CSP a shop page is served with, as docs/clients.md tells a site to write it. */
export function shopCsp(bridge, nonce, variant = "") {
  // `nows`: connect-src names only the bridge's http(s) origin, as many sites write it;
  // `noimg`: img-src forgets the bridge; `noi18n`: connect-src allows only the bridge's API
  // (/v1/), not the widget's language catalogs (/sdk/i18n/).
  const ws = variant === "nows" ? "" : ` ${bridge.replace(/^http/, "ws")}`;
  const img = variant === "noimg" ? "" : ` ${bridge}`;
  const connect = variant === "noi18n" ? `${bridge}/v1/` : bridge;
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' ${bridge}`,
    "style-src 'self'",
    `img-src 'self'${img}`,
    `connect-src 'self' ${connect}${ws}`,
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

// A dark theme sets the widget's colours through its documented custom properties.
const SHOP_CSS = `body{font:16px system-ui,sans-serif;margin:24px}
body.dark{background:#0f172a;color:#e2e8f0}
body.dark qr-bridge{--qb-fg:#e2e8f0;--qb-bg:#1e293b;--qb-accent:#38bdf8}`;

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Attributes of the page's `<qr-bridge>` from the query: the test varies key, ttl, lang, base
 * (`html-lang` is the page's own language instead).
 */
function attrs(q, defaults) {
  const out = { ...defaults };
  for (const name of [
    "publishable-key",
    "create-endpoint",
    "confirm",
    "ttl",
    "lang",
    "base",
    "max-renewals",
  ]) {
    if (q.has(name)) out[name] = q.get(name);
  }
  return Object.entries(out)
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(" ");
}

function page({ title, nonce, bridge, body, script, dark, lang = "en" }) {
  const htmlLang = lang ? ` lang="${esc(lang)}"` : "";
  return `<!doctype html><html${htmlLang}><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="/shop.css">
<script type="module" src="${esc(bridge)}/sdk/qrbridge.js"></script>
</head><body${dark ? ' class="dark"' : ""}>${body}
<script type="module" nonce="${nonce}">
// Every qrbridge:* event the page saw, for the test to read.
window.events = [];
for (const t of ["shown","scanned","redeemed","expired","error","status","approved","denied","warning"])
  document.addEventListener("qrbridge:" + t, (e) => window.events.push({ type: t, id: e.target.id, detail: e.detail }));
${script ?? ""}
</script></body></html>`;
}

// What a visitor sees when the widget's script cannot load (the bridge down, a CSP without it):
// content inside <qr-bridge> shows until the element is defined, and never after.
const FALLBACK = '<a class="fallback" href="/orders">Continue without the app</a>';

/**
 * Start the shop on 127.0.0.1, reached as `localhost`. `keys.publishable` is the default key of
 * its widgets, `keys.secret` what its backend exchanges login tickets with; both are read on each
 * request, so keys minted for the shop's origin once it listens can be set afterwards.
 * Returns `{url, stop(), exchanges}`.
 *
 * @example
 * const keys = {};
 * const shop = await startShop({ bridge: "http://127.0.0.1:8787", keys });
 * keys.publishable = await mintKey({ kind: "publishable", origins: [shop.url], … });
 */
export async function startShop({ bridge, keys, port = 0 }) {
  const exchanges = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://shop");
    const q = url.searchParams;
    const nonce = randomBytes(16).toString("base64");
    const html = (status, text) => {
      res.writeHead(status, {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": shopCsp(bridge, nonce, q.get("csp") ?? ""),
        "cache-control": "no-store",
      });
      res.end(text);
    };
    const dark = q.get("theme") === "dark";
    // The page's own `<html lang>` ("" for none: the browser's language decides).
    const lang = q.get("html-lang") ?? "en";
    if (req.method === "GET" && url.pathname === "/checkout") {
      const count = Math.min(Number(q.get("widgets") ?? 1), 4);
      const widgets = Array.from(
        { length: count },
        (_, i) =>
          `<qr-bridge id="qr${i}" ${attrs(q, { "publishable-key": keys.publishable, path: `/cart/${42 + i}` })}>${FALLBACK}</qr-bridge>`,
      ).join("\n");
      return html(
        200,
        page({
          title: "Checkout — Example Shop",
          nonce,
          bridge,
          dark,
          lang,
          body: `<h1>Your cart</h1><p>Continue on your phone:</p>${widgets}<p id="outcome" aria-live="polite"></p>`,
          script: `document.addEventListener("qrbridge:redeemed", () => { document.getElementById("outcome").textContent = "Continued in the app."; });`,
        }),
      );
    }
    if (req.method === "GET" && url.pathname === "/login") {
      return html(
        200,
        page({
          title: "Sign in — Example Shop",
          nonce,
          bridge,
          dark,
          lang,
          body: `<h1>Sign in</h1><qr-bridge id="login" mode="login" ${attrs(q, { "publishable-key": keys.publishable })}>${FALLBACK}</qr-bridge><p id="outcome" aria-live="polite"></p>`,
          script: `const out = document.getElementById("outcome");
document.getElementById("login").addEventListener("qrbridge:approved", async (e) => {
  const r = await fetch("/auth/qr-login", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ ticket: e.detail.ticket, code_verifier: e.detail.code_verifier }) });
  const j = await r.json();
  out.textContent = r.ok ? "Signed in as " + j.subject + "." : "Sign-in failed: " + j.error;
  document.body.dataset.user = r.ok ? j.subject : "";
});
document.getElementById("login").addEventListener("qrbridge:denied", () => { out.textContent = "Declined on the phone."; });`,
        }),
      );
    }
    if (req.method === "GET" && url.pathname === "/shop.css") {
      res.writeHead(200, { "content-type": "text/css" });
      return res.end(SHOP_CSS);
    }
    // create-endpoint: the shop's backend makes the handoff with its secret key, the payload
    // from its session, and answers the bridge's response unchanged (docs/clients.md).
    if (req.method === "POST" && url.pathname === "/api/qr-handoff") {
      let text = "";
      for await (const chunk of req) text += chunk;
      const { path, ttl } = JSON.parse(text || "{}");
      const r = await fetch(`${bridge}/v1/handoffs`, {
        method: "POST",
        headers: { authorization: `Bearer ${keys.secret}`, "content-type": "application/json" },
        body: JSON.stringify({ path, ttl, payload: { cart: "c_from_session" } }),
      });
      res.writeHead(r.status, { "content-type": "application/json" });
      return res.end(await r.text());
    }
    if (req.method === "POST" && url.pathname === "/auth/qr-login") {
      let text = "";
      for await (const chunk of req) text += chunk;
      const { ticket, code_verifier } = JSON.parse(text || "{}");
      const r = await fetch(`${bridge}/v1/logins/exchange`, {
        method: "POST",
        headers: { authorization: `Bearer ${keys.secret}`, "content-type": "application/json" },
        body: JSON.stringify({ ticket, code_verifier }),
      });
      const answer = await r.json();
      exchanges.push({ status: r.status, answer });
      const headers = { "content-type": "application/json" };
      if (r.ok)
        headers["set-cookie"] = `shop_session=${answer.subject}; HttpOnly; SameSite=Lax; Path=/`;
      res.writeHead(r.ok ? 200 : 401, headers);
      return res.end(JSON.stringify(r.ok ? { subject: answer.subject } : answer));
    }
    if (url.pathname === "/favicon.ico") return res.writeHead(204).end();
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://localhost:${server.address().port}`,
    exchanges,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [bridge, publishable, secret, port] = process.argv.slice(2);
  const shop = await startShop({
    bridge,
    keys: { publishable, secret },
    port: Number(port ?? 18752),
  });
  console.log(`shop on ${shop.url}: /checkout, /login`);
}
