/** Shadow-DOM styles of `<qr-bridge>`; themable through the `--qb-*` custom properties. */
export const STYLE = `
:host{display:inline-block;color:var(--qb-fg,#111);font:var(--qb-font,14px/1.4 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif)}
:host([hidden]){display:none}
.b{box-sizing:border-box;width:calc(var(--qb-size,200px) + 32px);padding:16px;background:var(--qb-bg,#fff);border-radius:var(--qb-radius,12px);text-align:center}
.q{position:relative;width:var(--qb-size,200px);height:var(--qb-size,200px);margin:0 auto;border-radius:calc(var(--qb-radius,12px)/2);overflow:hidden;background:var(--qb-bg,#fff)}
img{display:block;width:100%;height:100%;transition:opacity .2s,filter .2s}
.q:not([data-s=pending]) img{opacity:.12;filter:blur(2px)}
.q[data-s=loading] img,.q[data-s=redeemed] img{opacity:0}
.m{position:absolute;inset:0;display:none;align-items:center;justify-content:center;font-size:calc(var(--qb-size,200px)/3.5);color:var(--qb-fg,#111)}
.q[data-s=redeemed] .m,.q[data-s=scanned] .m,.q[data-s=awaiting_confirmation] .m,.q[data-s=approved] .m{display:flex}
.q[data-s=redeemed] .m,.q[data-s=approved] .m{color:var(--qb-accent,#16a34a)}
.w{margin:.2em 0;font-size:.85em;font-weight:600;color:var(--qb-warn,#b45309)}
.s{margin:.6em 0 .2em;min-height:2.8em}
.c{margin:0;font-size:.85em;opacity:.7;font-variant-numeric:tabular-nums}
.bar{height:3px;margin-top:8px;background:color-mix(in srgb,var(--qb-fg,#111) 12%,transparent);border-radius:2px;overflow:hidden}
.bar i{display:block;height:100%;background:var(--qb-accent,#16a34a);transform-origin:left;transition:transform 1s linear}
[dir=rtl] .bar i{transform-origin:right}
button,.o{display:inline-block;margin-top:8px;font:inherit;color:var(--qb-bg,#fff);background:var(--qb-fg,#111);border:0;border-radius:calc(var(--qb-radius,12px)/2);padding:.45em 1em;cursor:pointer;text-decoration:none}
button:focus-visible,.o:focus-visible{outline:2px solid var(--qb-accent,#16a34a);outline-offset:2px}
[hidden]{display:none!important}
`;

/**
 * Styles through a constructed stylesheet, which a page's strict CSP (style-src with a nonce)
 * does not block; older browsers get a `<style>` carrying the nonce of the page's scripts.
 *
 * @example
 * adoptStyle(this.attachShadow({ mode: "open" }));
 */
export function adoptStyle(root: ShadowRoot): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement("style");
    style.nonce =
      (document.querySelector("script[nonce]") as HTMLScriptElement | null)?.nonce ?? "";
    style.textContent = STYLE;
    root.prepend(style);
  }
}
