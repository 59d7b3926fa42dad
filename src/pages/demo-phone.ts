/**
 * The dev-only simulated phone at `/demo/phone`: the "Acme app", signed in as a demo user, as
 * a real app would behave with a scanned QR login — it sends the link to
 * `POST /v1/logins/scan`, shows who is asking (browser, OS, place, origin, same network,
 * distance) and asks "Log in on this computer?" — or the login's `metadata.title`, only when a
 * secret key made it (`created_by: "server"`): a publishable key is public, so a `page` login's
 * metadata may be anyone's words ("Approve to receive your refund"). Approve goes through the demo's backend route
 * (`/demo/login/approve`, which holds a secret key, as a company's backend would); Deny is
 * the app's own call with its scan handle.
 */
import { html, raw } from "./html";

export interface DemoPhoneInput {
  lang: "en" | "zh";
  /** The bridge's public base URL (where the API is). */
  base: string;
  /** The demo's own base path (the demo backend route lives there). */
  demoBase: string;
  /** A login link given in the query (`?link=`), or "". */
  link: string;
}

const TEXT = {
  en: {
    title: "Acme app (simulated phone)",
    signedIn: "Signed in as Demo User",
    linkLabel: "Scanned login link",
    scan: "Scan",
    ask: "Log in on this computer?",
    warn: "Only approve if you are at this computer right now and you started this login.",
    approve: "Approve",
    deny: "Deny",
    approved: "Approved: the computer is being signed in.",
    denied: "Denied: the computer was not signed in.",
    computer: "Computer",
    place: "Place",
    same: "Same network",
    yes: "yes",
    no: "no",
    unknown: "unknown",
    distance: "Distance",
    origin: "Website",
    asked: "Asked",
    ago: "s ago",
  },
  zh: {
    title: "Acme 应用（模拟手机）",
    signedIn: "已登录：演示用户",
    linkLabel: "扫描到的登录链接",
    scan: "扫描",
    ask: "在这台电脑上登录？",
    warn: "只有当你此刻就在这台电脑前并且是你本人发起登录时，才可以确认。",
    approve: "确认登录",
    deny: "拒绝",
    approved: "已确认：电脑正在登录。",
    denied: "已拒绝：电脑未登录。",
    computer: "电脑",
    place: "位置",
    same: "同一网络",
    yes: "是",
    no: "否",
    unknown: "未知",
    distance: "距离",
    origin: "网站",
    asked: "请求于",
    ago: " 秒前",
  },
};

const CSS = `*{box-sizing:border-box}body{margin:0;min-height:100vh;display:grid;place-items:center;background:#1f2937;font:16px/1.45 system-ui,-apple-system,"PingFang SC",sans-serif}
.phone{width:360px;min-height:640px;background:#f8fafc;border-radius:36px;border:10px solid #0b0f19;padding:22px 18px;display:flex;flex-direction:column;gap:14px}
h1{font-size:19px;margin:0}.who{font-size:13px;color:#475569}label{font-size:13px;color:#475569}
input{width:100%;font:12px monospace;padding:8px;border-radius:8px;border:1px solid #cbd5e1}
button{font:inherit;padding:10px 14px;border-radius:10px;border:0;cursor:pointer;background:#e2e8f0}
button.go{background:#4f46e5;color:#fff}.card{background:#fff;border-radius:16px;padding:16px;box-shadow:0 1px 3px #0002}
.card h2{font-size:18px;margin:0 0 8px}dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0 0 10px;font-size:14px}
dt{color:#64748b}dd{margin:0;font-weight:600}.warn{font-size:13px;color:#b45309}.row{display:flex;gap:10px}.row button{flex:1}
#result{font-weight:600;min-height:1.4em}#result.ok{color:#15803d}#result.bad{color:#b91c1c}`;

// The app's logic: scan, show the requester, approve through the demo backend, deny itself.
const SCRIPT = `const d=document,t=d.body.dataset,$=(id)=>d.getElementById(id);let login=null;
const say=(text,cls)=>{$("result").textContent=text;$("result").className=cls||""};
const post=async(url,body)=>{const r=await fetch(url,{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify(body)});
const j=await r.json().catch(()=>({}));if(!r.ok)throw new Error((j.error||r.status)+": "+(j.message||""));return j};
const row=(k,v)=>{const dt=d.createElement("dt"),dd=d.createElement("dd");dt.textContent=k;dd.textContent=v;$("facts").append(dt,dd)};
$("scan").addEventListener("click",async()=>{say("");$("ask").hidden=true;
try{login=await post(t.base+"/v1/logins/scan",{url:$("link").value.trim()});}catch(e){return say(e.message,"bad")}
const q=login.requester,p=login.proximity,m=login.metadata;$("facts").textContent="";
$("ask-title").textContent=login.created_by==="server"&&m&&typeof m.title==="string"&&m.title||t.ask;
row(t.computer,[q.browser,q.os].filter(Boolean).join(" · ")||q.platform);
row(t.place,[q.city,q.region,q.country].filter(Boolean).join(", ")||t.unknown);
row(t.origin,q.origin||t.unknown);
row(t.same,p.same_network===true?t.yes:p.same_network===false?t.no:t.unknown);
row(t.distance,p.distance_km===undefined?t.unknown:p.distance_km+" km");
row(t.asked,Math.max(0,Math.round((Date.now()-q.created_at)/1000))+t.ago);
$("ask").hidden=false;$("approve").focus();});
$("approve").addEventListener("click",async()=>{$("ask").hidden=true;
try{await post(t.demo+"/demo/login/approve",{id:login.id,scan:login.scan});say(t.approved,"ok")}catch(e){say(e.message,"bad")}});
$("deny").addEventListener("click",async()=>{$("ask").hidden=true;
try{await post(t.base+"/v1/logins/"+login.id+"/deny",{scan:login.scan,reason:"user_declined"});say(t.denied,"bad")}catch(e){say(e.message,"bad")}});
if($("link").value)$("scan").click();`;

/**
 * The simulated phone page. Every value is escaped.
 *
 * @example
 * return htmlResponse(renderDemoPhone({ lang: "en", base, demoBase: "", link }, nonce), { nonce });
 */
export function renderDemoPhone(input: DemoPhoneInput, nonce: string): string {
  const x = TEXT[input.lang];
  return html`<!doctype html>
<html lang="${input.lang === "zh" ? "zh-CN" : "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${x.title}</title>
<style nonce="${nonce}">${raw(CSS)}</style></head>
<body data-base="${input.base}" data-ask="${x.ask}" data-demo="${input.demoBase}" data-approved="${x.approved}" data-denied="${x.denied}" data-computer="${x.computer}" data-place="${x.place}" data-same="${x.same}" data-yes="${x.yes}" data-no="${x.no}" data-unknown="${x.unknown}" data-distance="${x.distance}" data-origin="${x.origin}" data-asked="${x.asked}" data-ago="${x.ago}">
<main class="phone"><h1>${x.title}</h1><p class="who">${x.signedIn}</p>
<label for="link">${x.linkLabel}</label><input id="link" value="${input.link}" autocomplete="off" spellcheck="false">
<button class="go" id="scan" type="button">${x.scan}</button>
<section class="card" id="ask" hidden aria-labelledby="ask-title"><h2 id="ask-title">${x.ask}</h2><dl id="facts"></dl>
<p class="warn">${x.warn}</p><div class="row"><button id="deny" type="button">${x.deny}</button><button class="go" id="approve" type="button">${x.approve}</button></div></section>
<p id="result" role="status" aria-live="polite"></p></main>
<script type="module" nonce="${nonce}">${raw(SCRIPT)}</script>
</body></html>`.value;
}
