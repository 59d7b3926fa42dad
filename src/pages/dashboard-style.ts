/**
 * The dashboard's stylesheet: plain CSS, served inline with the page's CSP nonce (no CDN, no
 * web fonts). Light and dark follow the system.
 */
export const DASHBOARD_CSS = `
:root{--bg:#f4f5fb;--card:#fff;--ink:#161a2b;--muted:#5d6479;--line:#e3e6f0;--accent:#4f46e5;
--accent-2:#0d9488;--accent-3:#d97706;--accent-4:#e11d48;--accent-5:#7c3aed;--accent-6:#64748b;
--shadow:0 1px 2px rgba(22,26,43,.06),0 4px 16px rgba(22,26,43,.06);--radius:14px;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0f1220;--card:#171b2e;--ink:#e8eaf4;--muted:#9aa1b9;
--line:#2a3050;--accent:#818cf8;--accent-2:#2dd4bf;--accent-3:#fbbf24;--accent-4:#fb7185;--accent-5:#c4b5fd;
--accent-6:#94a3b8;--shadow:0 1px 2px rgba(0,0,0,.4)}}
*{box-sizing:border-box}
html,body{margin:0;background:var(--bg);color:var(--ink);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--accent)}
.top{display:flex;align-items:center;justify-content:space-between;padding:14px 28px;background:var(--card);
border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2}
.brand{display:flex;align-items:center;gap:10px;font-weight:700;font-size:17px;letter-spacing:-.01em}
.brand svg{width:26px;height:26px}.brand small{font-weight:500;color:var(--muted)}
main{max-width:1240px;margin:0 auto;padding:22px 28px 48px}
button,.button{font:inherit;font-weight:600;border-radius:10px;border:1px solid var(--line);background:var(--card);
color:var(--ink);padding:8px 14px;cursor:pointer;text-decoration:none;display:inline-flex;align-items:center;gap:6px}
button:hover,.button:hover{border-color:var(--accent)}
button.primary{background:var(--accent);border-color:var(--accent);color:#fff}
button.ghost{background:transparent}
.filters{display:flex;flex-wrap:wrap;align-items:flex-end;gap:12px;background:var(--card);padding:16px 18px;
border-radius:var(--radius);box-shadow:var(--shadow);margin-bottom:18px}
.filters label{display:flex;flex-direction:column;gap:4px;font-size:12px;font-weight:600;color:var(--muted);
text-transform:uppercase;letter-spacing:.04em}
.filters input,.filters select{font:inherit;font-size:14px;color:var(--ink);background:var(--bg);border:1px solid var(--line);
border-radius:9px;padding:7px 10px;min-width:130px;max-width:220px}
.quick{display:flex;gap:6px}.quick button{padding:7px 10px;font-weight:500}
.spacer{flex:1}
.status{color:var(--muted);margin:0 0 14px;min-height:1.4em}.status:empty{min-height:0;margin:0}.status.error{color:var(--accent-4);font-weight:600}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:14px;margin-bottom:18px}
.kpi{background:var(--card);border-radius:var(--radius);box-shadow:var(--shadow);padding:16px 18px}
.kpi span{display:block;font-size:12px;font-weight:600;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.kpi strong{display:block;font-size:28px;letter-spacing:-.02em;margin-top:4px}
.kpi em{font-style:normal;font-size:13px;color:var(--muted)}
.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:18px;align-items:start}
.card{background:var(--card);border-radius:var(--radius);box-shadow:var(--shadow);padding:18px 20px;min-width:0}
.card.wide{grid-column:1/-1}
.card h2{font-size:15px;margin:0 0 12px;letter-spacing:-.01em}
.card h2 small{font-weight:500;color:var(--muted);margin-left:6px}
.card svg{width:100%;height:auto;display:block;overflow:visible}
.empty{color:var(--muted);font-size:14px;padding:24px 0;text-align:center}
.split{display:flex;align-items:center;gap:18px}.split svg{width:170px;flex:none}
.legend{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px;font-size:14px;flex:1;min-width:0}
.legend li{display:flex;align-items:center;gap:8px}.legend i{width:11px;height:11px;border-radius:3px;flex:none}
.legend b{margin-left:auto;font-weight:600}.legend .name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.inline-legend{display:flex;gap:16px;font-size:13px;color:var(--muted);margin-top:6px}
.inline-legend i{display:inline-block;width:10px;height:10px;border-radius:3px;margin-right:6px;vertical-align:-1px}
svg text{fill:var(--ink);font-size:12px}svg .muted{fill:var(--muted)}svg .grid-line{stroke:var(--line)}
.c1{fill:var(--accent);background:var(--accent)}.c2{fill:var(--accent-2);background:var(--accent-2)}
.c3{fill:var(--accent-3);background:var(--accent-3)}.c4{fill:var(--accent-4);background:var(--accent-4)}
.c5{fill:var(--accent-5);background:var(--accent-5)}.c6{fill:var(--accent-6);background:var(--accent-6)}
.line1{stroke:var(--accent);fill:none;stroke-width:2.5}.line2{stroke:var(--accent-2);fill:none;stroke-width:2.5}
.area1{fill:var(--accent);opacity:.12}.track{fill:var(--line);opacity:.55}
.login{min-height:100vh;display:grid;place-items:center;padding:24px}
.login form{width:100%;max-width:420px;background:var(--card);border-radius:18px;box-shadow:var(--shadow);padding:30px}
.login h1{font-size:22px;margin:12px 0 6px;letter-spacing:-.02em}.login p{color:var(--muted);margin:0 0 18px}
.login input{width:100%;font:inherit;padding:11px 12px;border-radius:10px;border:1px solid var(--line);
background:var(--bg);color:var(--ink);margin:6px 0 16px}
.login button{width:100%;justify-content:center;padding:11px}
.login .error{color:var(--accent-4);font-weight:600;margin-bottom:12px}
@media (max-width:820px){.grid{grid-template-columns:1fr}main{padding:16px}.top{padding:12px 16px}
.split{flex-direction:column;align-items:stretch}.split svg{margin:0 auto}}
`;
