/**
 * The document shell of the bridge's pages: head, the inline stylesheet and the small page
 * script, both bound to the response's CSP nonce. The script only reacts to taps (copy the
 * link) and updates text (expiry countdown, tablet hint); it never navigates by itself, so an
 * in-app browser, a previewer or a bot loading the page can never open the app.
 */
import { type HtmlValue, html, raw } from "./html";
import { type Lang, t } from "./i18n";
import { pageCss } from "./styles";

// The page script, in parts: a page carries a part only when its markup has the part's marker
// (most pages need one or two). ES5 on purpose: old in-app WebViews (WeChat's X5, older
// Android System WebView) still scan. `adds`: classes the part may give elements later, so
// that the stylesheet keeps their rules (see pageCss).
const SCRIPT_START = `(function(){var d=document;
function each(s,f){var l=d.querySelectorAll(s);for(var i=0;i<l.length;i++)f(l[i]);}
`;
const SCRIPT_PARTS = [
  {
    marker: "data-copy",
    adds: ["done"],
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
    adds: ["expired"],
    code: `each("[data-remaining]",function(el){var end=Date.now()+1000*Number(el.getAttribute("data-remaining"));
var tpl=el.getAttribute("data-template"),gone=el.getAttribute("data-expired");
function tick(){var left=Math.ceil((end-Date.now())/1000);
if(left<=0){el.textContent=gone;el.className+=" expired";return;}
var m=Math.floor(left/60),s=left%60;el.textContent=tpl.replace("{time}",m+":"+(s<10?"0":"")+s);
setTimeout(tick,1000);}tick();});
`,
  },
  {
    marker: "data-touch-only",
    adds: [],
    code: `if(navigator.maxTouchPoints>1&&/Mac/.test(navigator.platform||""))each("[data-touch-only]",function(el){el.hidden=false;});
`,
  },
];
const SCRIPT_END = "})();";

/**
 * The script parts and stylesheet rules a page needs, from its markup: the parts whose marker
 * it has, and the rules that can apply to its classes and to those the parts may add.
 */
function pageAssets(markup: string): { script: string; css: string } {
  const parts = SCRIPT_PARTS.filter((p) => markup.includes(p.marker));
  const classes = new Set(parts.flatMap((p) => p.adds));
  for (const m of markup.matchAll(/class="([^"]*)"/g)) {
    for (const c of m[1]!.split(/\s+/)) if (c) classes.add(c);
  }
  const script = parts.length ? SCRIPT_START + parts.map((p) => p.code).join("") + SCRIPT_END : "";
  return { script, css: pageCss(classes) };
}

/**
 * A complete HTML document with the CSS and script its markup needs, both carrying `nonce`.
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
  /**
   * Markup the page may get later without being rendered again (a template's slots), so that
   * its CSS and script are there for it.
   */
  mayContain?: string;
}): string {
  const nonce = opts.nonce;
  const body = html`${opts.body}`.value;
  const assets = pageAssets(body + (opts.mayContain ?? ""));
  const script =
    opts.script === false || assets.script === ""
      ? ""
      : html`<script nonce="${nonce}">${raw(assets.script)}</script>`;
  return html`<!doctype html>
<html lang="${t(opts.lang, "doc.lang")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex,nofollow">
<meta name="format-detection" content="telephone=no">
<title>${opts.title}</title>
${opts.head}
<style nonce="${nonce}">${raw(assets.css)}</style>
</head>
<body>
${raw(body)}
${script}
</body>
</html>`.value;
}
