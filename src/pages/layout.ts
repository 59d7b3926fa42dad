/**
 * The document shell of the bridge's pages: head, the inline stylesheet and the small page
 * script, both bound to the response's CSP nonce. The script only reacts to taps (copy the
 * link) and updates text (expiry countdown, tablet hint); it never navigates by itself, so an
 * in-app browser, a previewer or a bot loading the page can never open the app.
 */
import { type HtmlValue, html, raw } from "./html";
import { type Lang, t, textDirection } from "./i18n";
import { PAGE_CSS } from "./styles";

// The page script, in parts: a page carries a part only when its markup has the part's marker
// (most pages need one or two). ES5 on purpose: old in-app WebViews (WeChat's X5, older
// Android System WebView) still scan.
const SCRIPT_START = `(function(){var d=document;
function each(s,f){var l=d.querySelectorAll(s);for(var i=0;i<l.length;i++)f(l[i]);}
`;
const SCRIPT_PARTS = [
  {
    marker: "data-copy",
    code: `each("[data-copy]",function(b){b.addEventListener("click",function(){
var st=d.getElementById(b.getAttribute("data-status")),box=d.getElementById(b.getAttribute("data-box"));
function done(ok){if(st)st.textContent=b.getAttribute(ok?"data-done":"data-failed");if(ok)b.className+=" done";}
function fallback(){try{var r=d.createRange();r.selectNodeContents(box);var s=window.getSelection();
s.removeAllRanges();s.addRange(r);done(d.execCommand("copy"));}catch(e){done(false);}}
var text=b.getAttribute("data-copy");
if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(text).then(function(){done(true);},fallback);}
else fallback();});});
`,
  },
  {
    marker: "data-remaining",
    code: `each("[data-remaining]",function(el){var end=Date.now()+1000*Number(el.getAttribute("data-remaining"));
var tpl=el.getAttribute("data-template"),gone=el.getAttribute("data-expired");
function tick(){var left=Math.ceil((end-Date.now())/1000);
if(left<=0){el.textContent=gone;el.className+=" expired";var st=el.nextElementSibling;
if(st&&st.hasAttribute("data-expiry-status")){el.setAttribute("aria-hidden","true");st.textContent=gone;}return;}
var m=Math.floor(left/60),s=left%60;el.textContent=tpl.replace("{time}",m+":"+(s<10?"0":"")+s);
setTimeout(tick,1000);}tick();});
`,
  },
  {
    marker: "data-touch-only",
    code: `if(navigator.maxTouchPoints>1&&/Mac/.test(navigator.platform||""))each("[data-touch-only]",function(el){el.hidden=false;});
`,
  },
];
const SCRIPT_END = "})();";

/** The page script for `markup`: the parts whose marker it has ("" when none). */
function pageScript(markup: string): string {
  const parts = SCRIPT_PARTS.filter((p) => markup.includes(p.marker));
  return parts.length ? SCRIPT_START + parts.map((p) => p.code).join("") + SCRIPT_END : "";
}

/**
 * A complete HTML document with the stylesheet and the script its markup needs, both carrying
 * `nonce`.
 *
 * @example
 * const page = renderDocument({ lang: "en", title: "Link not found", nonce, body: html`<main>…</main>` });
 */
export function renderDocument(opts: {
  lang: Lang;
  title: string;
  nonce: string;
  body: HtmlValue;
  /** Extra `<head>` markup (already safe). */
  head?: HtmlValue;
  /** Leave the script out (pages without interaction). */
  script?: boolean;
}): string {
  const nonce = opts.nonce;
  const body = html`${opts.body}`.value;
  const code = opts.script === false ? "" : pageScript(body);
  const script = code === "" ? "" : html`<script nonce="${nonce}">${raw(code)}</script>`;
  // Left to right is the default: only Hebrew and Arabic pages say their direction.
  const dir = textDirection(opts.lang) === "rtl" ? raw(' dir="rtl"') : "";
  return html`<!doctype html>
<html lang="${t(opts.lang, "doc.lang")}"${dir}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex,nofollow">
<meta name="format-detection" content="telephone=no">
<title>${opts.title}</title>
${opts.head}
<style nonce="${nonce}">${raw(PAGE_CSS)}</style>
</head>
<body>
${raw(body)}
${script}
</body>
</html>`.value;
}
