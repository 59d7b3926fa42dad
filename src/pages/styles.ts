/**
 * The one stylesheet of the bridge's pages (landing, messages; other pages may reuse it).
 * Inline in a nonce'd `<style>`: no external fonts or assets. System font, 48 px tap targets,
 * light and dark through `prefers-color-scheme`, calm colours. Every page carries all of it
 * (about 4 KB before compression): one constant, nothing chosen per page.
 *
 * Right to left (Hebrew, Arabic: `<html dir="rtl">`): the layout is symmetric (centred column,
 * equal paddings, centred buttons), so it mirrors by itself. The one physical side is the
 * guide's arrow: it points at the in-app browser's own "···" menu, which sits at the top right
 * whatever the page's language, and the guide's sentence says "top right" in every language.
 * Headings drop their letter spacing there: it would pull Arabic's joined letters apart.
 * Japanese, Korean and Traditional Chinese pages name their fonts first, so Han characters take
 * their forms and not the Simplified Chinese ones of the default stack.
 */

export const PAGE_CSS = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--text:#1d2330;--muted:#5d6675;--line:#e2e5ea;
--accent:#2456e6;--accent-text:#fff;--soft:#eef2fd;--warn:#a15c00;--warn-bg:#fff6e6;--radius:14px}
@media (prefers-color-scheme:dark){:root{--bg:#111318;--card:#1b1e25;--text:#eef0f4;--muted:#a2a9b6;
--line:#2c313b;--accent:#7aa2ff;--accent-text:#0d1220;--soft:#222a3d;--warn:#ffc266;--warn-bg:#2e2414}}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;min-height:100vh;background:var(--bg);color:var(--text);
font:17px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue","PingFang SC",
"Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
:lang(ja) body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Hiragino Sans",
"Hiragino Kaku Gothic ProN","Yu Gothic","Meiryo","Noto Sans CJK JP",sans-serif}
:lang(ko) body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Apple SD Gothic Neo",
"Malgun Gothic","Noto Sans CJK KR",sans-serif}
:lang(zh-Hant) body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"PingFang TC",
"Microsoft JhengHei","Noto Sans CJK TC",sans-serif}
main{max-width:28rem;margin:0 auto;padding:max(24px,env(safe-area-inset-top)) 20px
max(32px,env(safe-area-inset-bottom))}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:24px 20px;
margin-top:16px}
.card:first-child{margin-top:0}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 8px;font-weight:650;letter-spacing:-.01em}
[dir=rtl] h1{letter-spacing:0}
h2{font-size:1.1rem;margin:0 0 6px;font-weight:600}
p{margin:0 0 12px}
.eyebrow{color:var(--muted);font-size:.9rem;margin:0 0 4px}
.lead{color:var(--muted)}
.sub{font-size:1.05rem;margin:0 0 12px;overflow-wrap:anywhere}
.note{color:var(--muted);font-size:.9rem}
.stack{display:flex;flex-direction:column;gap:12px;margin-top:20px}
.btn{display:flex;align-items:center;justify-content:center;gap:8px;min-height:52px;padding:12px 18px;
border-radius:12px;border:1px solid var(--line);background:var(--card);color:var(--text);font:inherit;
font-weight:600;text-align:center;text-decoration:none;cursor:pointer;-webkit-tap-highlight-color:transparent;
width:100%}
.btn:active{transform:scale(.99)}
.btn:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.btn-primary{background:var(--accent);border-color:var(--accent);color:var(--accent-text)}
.btn-soft{background:var(--soft);border-color:transparent;color:var(--accent)}
.btn.done{border-color:var(--accent)}
.textlink{display:block;text-align:center;color:var(--accent);padding:12px 4px;min-height:48px;
text-decoration:none;font-weight:500}
.copybox{display:block;width:100%;margin-top:12px;padding:10px 12px;border-radius:10px;border:1px solid var(--line);
background:var(--bg);color:var(--muted);font:14px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
user-select:all;-webkit-user-select:all;overflow-wrap:anywhere}
.status{min-height:1.5em;margin:8px 0 0;color:var(--accent);font-size:.95rem;text-align:center}
.expiry{margin:16px 0 0;padding:10px 12px;border-radius:10px;background:var(--soft);font-size:.95rem;
text-align:center;font-variant-numeric:tabular-nums}
.expiry.expired{background:var(--warn-bg);color:var(--warn)}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.qr{display:block;width:min(260px,70vw);height:auto;aspect-ratio:1;margin:20px auto 8px;background:#fff;
border-radius:12px;padding:12px;image-rendering:pixelated}
.center{text-align:center}
.guide{position:relative;padding-top:96px}
.guide .arrow{position:fixed;top:6px;right:14px;width:96px;height:96px;color:var(--accent)}
.guide .dots{display:inline-block;padding:0 8px;margin:0 2px;border-radius:6px;background:var(--soft);
color:var(--accent);font-weight:700;letter-spacing:1px}
.icon{display:flex;align-items:center;justify-content:center;width:56px;height:56px;border-radius:50%;
background:var(--soft);color:var(--accent);margin:0 0 16px}
.icon.warn{background:var(--warn-bg);color:var(--warn)}
@media (min-width:700px){main{padding-top:64px}}
@media (prefers-reduced-motion:reduce){.btn:active{transform:none}}
`;
