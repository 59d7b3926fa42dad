/**
 * The dev-only demo at `/`: a fake shop checkout ("continue on your phone") built on the
 * `<qr-bridge>` element exactly as a site would use it (its handoff made by the demo's backend
 * through `create-endpoint`, so that the landing page may show the cart's heading), a "Log in
 * with the app" panel (`<qr-bridge mode="login">`, whose approval the page exchanges through
 * the demo backend), and a demo poster with its manual code. A "simulate the app" button
 * resolves the shown link the way the app would, and the simulated phone (`/demo/phone`) plays
 * the logged-in app, for trying each flow without a phone.
 */
import { html, raw } from "./html";

export interface DemoPageInput {
  lang: "en" | "zh";
  /** The bridge's public base URL (the element's `base`). */
  base: string;
  /** Path of the embed script, e.g. "/sdk/qrbridge.3f28d95e5526.js". */
  script: string;
  publishableKey: string;
  /** The demo's own base path (the simulated phone and demo backend live there). */
  demoBase: string;
  poster: {
    code: string;
    display: string;
    qrSvg: string;
    url: string;
    store: string | null;
  } | null;
}

const TEXT = {
  en: {
    title: "Acme Shop — checkout (qrbridge demo)",
    cart: "Your cart",
    cartSubtitle: "2 items · €154.00",
    item1: "Trail running shoes",
    item2: "Merino socks (2 pairs)",
    total: "Total",
    cont: "Continue on your phone",
    contHint: "Scan the code with your phone camera: the app opens with this cart.",
    waiting: "Waiting for a scan…",
    scanned: "Scanned: finish on your phone…",
    done: "Done! Your cart is now in the app.",
    expired: "The code expired.",
    simulate: "Simulate the app (resolve this link)",
    poster: "Demo poster",
    posterHint: "A printed store code: scanning it opens the app at /menu, attributed to",
    manual: "Camera not working? Enter the code at",
    links: "More",
    login: "Log in with the app",
    loginHint:
      "Scan with the Acme app, where you are already signed in: it shows which computer is asking, and you approve on the phone.",
    openPhone: "Open the simulated phone (the Acme app) in a new tab",
    lwaiting: "Waiting for the app to scan…",
    lscanned: "Scanned: confirm on your phone.",
    ldone: "Signed in as {name}.",
    ldenied: "The login was declined on the phone.",
  },
  zh: {
    title: "Acme 商店 — 结账（qrbridge 演示）",
    cart: "购物车",
    cartSubtitle: "2 件商品 · €154.00",
    item1: "越野跑鞋",
    item2: "美利奴袜子（2 双）",
    total: "合计",
    cont: "在手机上继续",
    contHint: "用手机相机扫描二维码：应用会打开这个购物车。",
    waiting: "等待扫码…",
    scanned: "已扫描：请在手机上完成…",
    done: "完成！购物车已在应用中打开。",
    expired: "二维码已过期。",
    simulate: "模拟应用（解析此链接）",
    poster: "演示海报",
    posterHint: "印刷的门店码：扫码后打开应用的 /menu，归因到",
    manual: "相机无法使用？在此输入代码：",
    links: "更多",
    login: "用 App 登录",
    loginHint: "用已登录的 Acme App 扫码：手机上会显示是哪台电脑在请求登录，由你在手机上确认。",
    openPhone: "在新标签页中打开模拟手机（Acme App）",
    lwaiting: "等待 App 扫码…",
    lscanned: "已扫描：请在手机上确认。",
    ldone: "已登录：{name}。",
    ldenied: "已在手机上拒绝登录。",
  },
};

const CSS = `*{box-sizing:border-box}.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC",sans-serif;color:#1b1f24;background:#f4f5f7}
header{padding:14px 32px;background:#111827;color:#fff;display:flex;justify-content:space-between;align-items:center}
header b{font-size:20px}header nav a{color:#c7d2fe;margin-left:16px}
main{display:grid;grid-template-columns:1fr 1fr;gap:24px;max-width:1040px;margin:28px auto;padding:0 24px}
section{background:#fff;border-radius:14px;padding:20px 24px;box-shadow:0 1px 3px #0001}
h2{margin-top:0;font-size:20px}table{width:100%;border-collapse:collapse}td{padding:6px 0;border-bottom:1px solid #eee}
td:last-child{text-align:right}.tot td{font-weight:700;border:0}.qr{text-align:center}
qr-bridge{--qb-size:220px;--qb-radius:14px;--qb-accent:#4f46e5}
#outcome{font-weight:600;min-height:1.5em}#outcome.done{color:#15803d;font-size:20px}
button.sim{margin-top:10px;font:inherit;font-size:13px;padding:6px 12px;border-radius:8px;border:1px solid #c7c9d1;background:#fff;cursor:pointer}
#sim{font:12px monospace;white-space:pre-wrap;color:#555}.poster{display:flex;gap:20px;align-items:center}
.wide{grid-column:1/-1}.login{display:flex;gap:24px;align-items:flex-start}
#login-outcome{font-weight:600;min-height:1.5em}#login-outcome.done{color:#15803d;font-size:20px}.poster img{width:150px;height:150px}.code{font:700 22px monospace;letter-spacing:2px}
@media (max-width:800px){main{grid-template-columns:1fr}}`;

// Page glue: show the element's events as a site would, and the "simulate the app" button.
const SCRIPT = `const qb=document.querySelector("qr-bridge"),out=document.getElementById("outcome"),t=document.body.dataset;
const say=(text,cls)=>{out.textContent=text;out.className=cls||""};
qb.addEventListener("qrbridge:shown",()=>say(t.waiting));
qb.addEventListener("qrbridge:scanned",()=>say(t.scanned));
qb.addEventListener("qrbridge:redeemed",()=>say(t.done,"done"));
qb.addEventListener("qrbridge:expired",()=>say(t.expired));
document.getElementById("simulate").addEventListener("click",async()=>{const h=qb.handoff,log=document.getElementById("sim");
if(!h)return;const r=await fetch(t.base+"/v1/resolve",{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({url:h.url})});
log.textContent="POST /v1/resolve → "+r.status+"\\n"+JSON.stringify(await r.json(),null,1);});
const lq=document.getElementById("login-qr"),lo=document.getElementById("login-outcome"),ph=document.getElementById("phone");
const lsay=(text,cls)=>{lo.textContent=text;lo.className=cls||""};
lq.addEventListener("qrbridge:shown",()=>{const l=lq.handoff;if(l)ph.href=t.demo+"/demo/phone?link="+encodeURIComponent(l.url);lsay(t.lwaiting)});
lq.addEventListener("qrbridge:scanned",()=>lsay(t.lscanned));
lq.addEventListener("qrbridge:denied",()=>lsay(t.ldenied));
lq.addEventListener("qrbridge:expired",()=>lsay(t.expired));
// What a site does with the approval: post ticket + verifier to its own backend, which exchanges them.
lq.addEventListener("qrbridge:approved",async(e)=>{const r=await fetch(t.demo+"/demo/login/exchange",{method:"POST",
headers:{"content-type":"application/json"},body:JSON.stringify({ticket:e.detail.ticket,code_verifier:e.detail.code_verifier})});
const j=await r.json();if(!r.ok)return lsay(j.error+": "+j.message);
lsay(t.ldone.replace("{name}",(j.claims&&j.claims.name)||j.subject),"done");document.getElementById("login").dataset.user=j.subject;});`;

/** The handoff the demo shop's backend makes for its checkout (demo-handoff.ts). */
export interface DemoCartHandoff {
  path: string;
  payload: { cart_id: string; items: number; total: string };
  metadata: { title: string; subtitle: string };
}

/**
 * The demo cart as its checkout handoff, in the page's language: what the demo backend sends to
 * `POST /v1/handoffs` whatever the browser asked, as a shop's backend takes the cart from its
 * session. The title and subtitle are the landing page's heading (a secret key's handoff).
 *
 * @example
 * demoCartHandoff("zh").metadata // { title: "购物车", subtitle: "2 件商品 · €154.00" }
 */
export function demoCartHandoff(lang: "en" | "zh"): DemoCartHandoff {
  const x = TEXT[lang];
  return {
    path: "/cart/demo-42",
    payload: { cart_id: "demo-42", items: 2, total: "€154.00" },
    metadata: { title: x.cart, subtitle: x.cartSubtitle },
  };
}

/**
 * The demo page. Every value is escaped; the key is a dev-only publishable key for this origin,
 * used by the login panel only: the checkout's handoff comes from the demo backend (its words
 * on the landing page must be the shop's, which a public key's cannot be).
 *
 * @example
 * return htmlResponse(renderDemoPage({ lang: "en", base, script, publishableKey, poster }, nonce), { nonce });
 */
export function renderDemoPage(input: DemoPageInput, nonce: string): string {
  const x = TEXT[input.lang];
  const p = input.poster;
  return html`<!doctype html>
<html lang="${input.lang === "zh" ? "zh-CN" : "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${x.title}</title>
<style nonce="${nonce}">${raw(CSS)}</style>
<script type="module" nonce="${nonce}" src="${input.script}"></script></head>
<body data-base="${input.base}" data-demo="${input.demoBase}" data-lwaiting="${x.lwaiting}" data-lscanned="${x.lscanned}" data-ldone="${x.ldone}" data-ldenied="${x.ldenied}" data-waiting="${x.waiting}" data-scanned="${x.scanned}" data-done="${x.done}" data-expired="${x.expired}">
<header><b>Acme Shop</b><nav><a href="?lang=${input.lang === "zh" ? "en" : "zh"}">${input.lang === "zh" ? "English" : "中文"}</a><a href="${input.base}/docs">API docs</a><a href="${input.base}/dashboard">Dashboard</a></nav></header>
<main>
<h1 class="vh">${x.title}</h1>
<section><h2>${x.cart}</h2><table>
<tr><td>${x.item1}</td><td>€129.00</td></tr><tr><td>${x.item2}</td><td>€25.00</td></tr>
<tr class="tot"><td>${x.total}</td><td>€154.00</td></tr></table></section>
<section class="qr"><h2>${x.cont}</h2><p>${x.contHint}</p>
<qr-bridge base="${input.base}" create-endpoint="${input.demoBase}/demo/handoffs?lang=${input.lang}" ttl="60" lang="${input.lang}"></qr-bridge>
<p id="outcome" aria-live="polite"></p>
<button class="sim" id="simulate" type="button">${x.simulate}</button><div id="sim"></div></section>
<section class="wide" id="login"><h2>${x.login}</h2><div class="login">
<qr-bridge id="login-qr" mode="login" base="${input.base}" publishable-key="${input.publishableKey}" lang="${input.lang}" metadata="${JSON.stringify({ site: "Acme Shop" })}"></qr-bridge>
<div><p>${x.loginHint}</p><p id="login-outcome" aria-live="polite"></p>
<p><a id="phone" href="${input.demoBase}/demo/phone" target="_blank" rel="noopener">${x.openPhone}</a></p></div></div></section>
${
  p &&
  html`<section class="wide" id="poster"><h2>${x.poster}</h2><div class="poster">
<img src="${p.qrSvg}" alt="QR code of the demo poster" width="150" height="150">
<div><p>${x.posterHint} <b>${p.store ?? "—"}</b> / campaign <b>demo</b>.</p>
<p class="code">${p.display}</p><p>${x.manual} <a href="${input.base}/c">${input.base}/c</a> · <a href="${p.url}">${p.url}</a></p></div></div></section>`
}
</main>
<script type="module" nonce="${nonce}">${raw(SCRIPT)}</script>
</body></html>`.value;
}
