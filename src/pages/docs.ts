/**
 * `/docs`: an interactive API reference rendered on the server from the OpenAPI document —
 * operations grouped by tag, their parameters, bodies and responses, the schemas, and a
 * "try it" form per operation that sends the request with a key the reader types (kept in the
 * page's memory only). No CDN and no vendored UI: a few KiB of HTML, CSS and script.
 */
import { type HtmlValue, html, raw } from "./html";

/** A JSON Schema as OpenAPI 3.1 carries it (only what the page reads). */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
  format?: string;
  description?: string;
  example?: unknown;
  default?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}

interface Operation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }>; required?: boolean };
  responses?: Record<
    string,
    { description?: string; content?: Record<string, { schema?: Schema }> }
  >;
}

/** The parts of an OpenAPI 3.1 document the page renders. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, unknown> };
}

const METHODS = ["get", "post", "put", "patch", "delete"];

const refName = (ref: string) => ref.slice(ref.lastIndexOf("/") + 1);

/** Who may call: "secretKey posters:write or adminKey"; an empty requirement reads "no key". */
const who = (security: Record<string, string[]>[]) =>
  security
    .map(
      (r) =>
        Object.entries(r)
          .map(([scheme, scopes]) => [scheme, ...scopes].join(" "))
          .join(" + ") || "no key",
    )
    .join(" or ");

/** Escaped text with its `code spans` as <code>, the only markdown the descriptions use. */
function md(text: string | undefined): HtmlValue {
  if (!text) return "";
  return text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? html`<code>${part}</code>` : part));
}

/** A body schema: the named schema's link and, expanded below it, its fields. */
function bodyTree(s: Schema, schemas: Record<string, Schema>): HtmlValue {
  const target = s.$ref ? schemas[refName(s.$ref)] : undefined;
  return target ? html`${schemaTree(s)}${schemaTree(target)}` : schemaTree(s);
}
const anchor = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, "-");

/** One line per schema node: `name type — description`, nested for objects and arrays. */
function schemaTree(s: Schema | undefined, depth = 0): HtmlValue {
  if (!s) return html`<code>any</code>`;
  if (s.$ref) {
    const name = refName(s.$ref);
    return html`<a class="ref" href="#schema-${anchor(name)}">${name}</a>`;
  }
  const alts = s.anyOf ?? s.oneOf ?? s.allOf;
  if (alts) {
    const sep = s.allOf ? " & " : " | ";
    return alts.map((a, i) => html`${i ? sep : ""}${schemaTree(a, depth)}`);
  }
  const type = Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? "any");
  const facts = [
    s.format,
    s.enum && `one of ${s.enum.map((v) => JSON.stringify(v)).join(", ")}`,
    s.const !== undefined && `= ${JSON.stringify(s.const)}`,
    s.pattern && `pattern ${s.pattern}`,
    s.minimum !== undefined && `≥ ${s.minimum}`,
    s.maximum !== undefined && `≤ ${s.maximum}`,
    s.minLength !== undefined && `length ≥ ${s.minLength}`,
    s.maxLength !== undefined && `length ≤ ${s.maxLength}`,
  ].filter(Boolean);
  const head = html`<code>${type}</code>${facts.length ? html` <small>${facts.join("; ")}</small>` : ""}${s.description ? html` — ${md(s.description)}` : ""}`;
  if (depth > 5) return head;
  if (s.type === "array" && s.items)
    return html`<code>array of</code> ${schemaTree(s.items, depth + 1)}`;
  if (s.properties) {
    const req = new Set(s.required ?? []);
    const rows = Object.entries(s.properties).map(
      ([k, v]) =>
        html`<li><b>${k}</b>${req.has(k) ? html`<span class="req">*</span>` : ""} ${schemaTree(v, depth + 1)}</li>`,
    );
    return html`${head}<ul>${rows}</ul>`;
  }
  return head;
}

/**
 * A plausible JSON example of a schema, to prefill the "try it" body.
 *
 * @example
 * exampleOf({ type: "object", properties: { ttl: { type: "integer", example: 120 } } }, {}) // { ttl: 120 }
 */
export function exampleOf(
  s: Schema | undefined,
  schemas: Record<string, Schema>,
  depth = 0,
): unknown {
  if (!s || depth > 6) return null;
  if (s.$ref) return exampleOf(schemas[refName(s.$ref)], schemas, depth + 1);
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const alt = (s.anyOf ?? s.oneOf ?? s.allOf)?.[0];
  if (alt) return exampleOf(alt, schemas, depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  if (type === "object" || s.properties) {
    const out: Record<string, unknown> = {};
    const req = new Set(s.required ?? []);
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      if (req.has(k) || depth === 0) out[k] = exampleOf(v, schemas, depth + 1);
    }
    return out;
  }
  if (type === "array") return [exampleOf(s.items, schemas, depth + 1)];
  if (type === "integer" || type === "number") return s.minimum ?? 0;
  if (type === "boolean") return false;
  if (type === "string") return s.format === "uri" ? "https://example.com" : "string";
  return null;
}

function operationHtml(
  path: string,
  method: string,
  op: Operation,
  schemas: Record<string, Schema>,
): HtmlValue {
  const id = anchor(`op-${method}-${path}`);
  const params = op.parameters ?? [];
  const body = op.requestBody?.content?.["application/json"]?.schema;
  const example = body ? JSON.stringify(exampleOf(body, schemas), null, 2) : "";
  const responses = Object.entries(op.responses ?? {}).map(([status, r]) => {
    const [type, media] = Object.entries(r.content ?? {})[0] ?? [];
    return html`<li><b class="st s${status[0]}">${status}</b> ${r.description ?? ""}${type ? html` <small>${type}</small> ${media?.schema ? schemaTree(media.schema) : ""}` : ""}</li>`;
  });
  return html`<section class="op" id="${id}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${path}</code>${op.security?.length ? html` <span class="auth">${who(op.security)}</span>` : ""}${op.operationId ? html` <small>${op.operationId}</small>` : ""}</h3>
${op.summary ? html`<p>${md(op.summary)}</p>` : ""}${op.description ? html`<p class="d">${md(op.description)}</p>` : ""}
${params.length ? html`<h4>Parameters</h4><ul>${params.map((p) => html`<li><b>${p.name}</b>${p.required ? html`<span class="req">*</span>` : ""} <small>in ${p.in}</small> ${schemaTree(p.schema)}${p.description ? html` — ${md(p.description)}` : ""}</li>`)}</ul>` : ""}
${body ? html`<h4>Body <small>application/json</small></h4><div class="tree">${bodyTree(body, schemas)}</div>` : ""}
<h4>Responses</h4><ul>${responses}</ul>
<details><summary>Try it</summary>
<form class="try" data-method="${method.toUpperCase()}" data-path="${path}">
${params
  .filter((p) => p.in === "path" || p.in === "query")
  .map(
    (p) =>
      html`<label>${p.name} <small>${p.in}</small><input name="${p.name}" data-in="${p.in}"${p.required ? " required" : ""} placeholder="${String(p.schema?.example ?? "")}"></label>`,
  )}
${body ? html`<label>Body<textarea name="__body" rows="8" spellcheck="false">${example}</textarea></label>` : ""}
<button>Send</button><output></output>
</form></details>
</section>`;
}

const CSS = `body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#1d232b;background:#f7f8fa}
header{padding:16px 24px;background:#10151c;color:#fff}header a{color:#9fd3ff}
.wrap{display:flex;align-items:flex-start}nav{position:sticky;top:0;width:260px;max-height:100vh;overflow:auto;padding:16px;font-size:13px}
nav a{display:block;color:#334;text-decoration:none;padding:1px 0}nav h2{font-size:13px;text-transform:uppercase;margin:12px 0 4px}
main{flex:1;min-width:0;padding:8px 24px 64px}.op{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:4px 16px 12px;margin:12px 0}
.m{display:inline-block;min-width:58px;text-align:center;font-size:12px;border-radius:4px;color:#fff;padding:2px 4px;background:#555}
.get{background:#1f6feb}.post{background:#1a7f37}.patch{background:#9a6700}.delete{background:#cf222e}.put{background:#8250df}
ul{margin:4px 0;padding-left:20px}small{color:#667}.req{color:#cf222e}.st{font-family:monospace}.s2{color:#1a7f37}.s4{color:#cf222e}
.d{white-space:pre-wrap}.auth{font-size:12px;font-weight:400;color:#9a6700;border:1px solid #e3c27a;border-radius:4px;padding:1px 6px}code{background:#0000000d;border-radius:3px;padding:0 3px}header code{background:#ffffff22}a.ref{font-family:monospace}form{display:grid;gap:6px;max-width:640px}label{display:grid;font-size:13px}
input,textarea{font:13px monospace;padding:4px;border:1px solid #ccd;border-radius:4px}button{justify-self:start;padding:4px 14px}
output{white-space:pre-wrap;font:12px monospace;background:#f1f3f5;border-radius:4px;padding:6px;max-height:320px;overflow:auto}output:empty{display:none}
#key{width:360px;max-width:100%}.schema{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:8px 16px;margin:8px 0}
@media (max-width:800px){.wrap{display:block}nav{position:static;width:auto;max-height:none}}`;

// Sends the form's request with the typed key; the key lives in this page's memory only.
const SCRIPT = `const server=document.body.dataset.server;
for(const f of document.querySelectorAll("form.try"))f.addEventListener("submit",async e=>{e.preventDefault();
const out=f.querySelector("output");let path=f.dataset.path;const q=new URLSearchParams();
for(const i of f.querySelectorAll("input[data-in]")){if(!i.value)continue;
if(i.dataset.in==="path")path=path.replace("{"+i.name+"}",encodeURIComponent(i.value));else q.set(i.name,i.value);}
const h={};const key=document.getElementById("key").value.trim();if(key)h.authorization="Bearer "+key;
const ta=f.querySelector("textarea");let body;if(ta&&ta.value.trim()){h["content-type"]="application/json";body=ta.value;}
const url=server+path+(q.size?"?"+q:"");out.textContent=f.dataset.method+" "+url+" …";
try{const r=await fetch(url,{method:f.dataset.method,headers:h,body});const type=r.headers.get("content-type")||"";
let text=type.startsWith("image/")?"("+type+", "+(await r.arrayBuffer()).byteLength+" bytes)":await r.text();
if(type.includes("json"))try{text=JSON.stringify(JSON.parse(text),null,2)}catch{}
out.textContent=r.status+" "+r.statusText+"\\n"+text;}catch(err){out.textContent="request failed: "+err.message;}});`;

/**
 * The reference page for a document. Every value from the document is escaped.
 *
 * @example
 * return htmlResponse(renderDocsPage(doc, nonce), { nonce });
 */
export function renderDocsPage(doc: OpenApiDocument, nonce: string): string {
  const schemas = doc.components?.schemas ?? {};
  const byTag = new Map<string, [string, string, Operation][]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? "other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push([path, method, op]);
    }
  }
  // In the document's order of tags (the README's), any other after them.
  const declared = (doc.tags ?? []).map((t) => t.name);
  const rank = (tag: string) => (declared.includes(tag) ? declared.indexOf(tag) : declared.length);
  const tags = [...byTag.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const about = new Map((doc.tags ?? []).map((t) => [t.name, t.description]));
  const server = doc.servers?.[0]?.url ?? "";
  const nav = tags.map(
    (tag) =>
      html`<h2>${tag}</h2>${byTag.get(tag)!.map(([p, m]) => html`<a href="#${anchor(`op-${m}-${p}`)}">${m.toUpperCase()} ${p}</a>`)}`,
  );
  const sections = tags.map(
    (tag) =>
      html`<h2 id="tag-${anchor(tag)}">${tag}</h2>${about.get(tag) ? html`<p>${md(about.get(tag))}</p>` : ""}${byTag.get(tag)!.map(([p, m, op]) => operationHtml(p, m, op, schemas))}`,
  );
  const schemaList = Object.entries(schemas).map(
    ([name, s]) =>
      html`<div class="schema" id="schema-${anchor(name)}"><h3>${name}</h3>${schemaTree(s)}</div>`,
  );
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${doc.info.title} ${doc.info.version} — API reference</title>
<style nonce="${nonce}">${raw(CSS)}</style></head>
<body data-server="${server}">
<header><h1>${doc.info.title} <small>${doc.info.version}</small></h1><p>${md(doc.info.description)}</p>
<p>Machine-readable: <a href="${server}/openapi.json">/openapi.json</a> (OpenAPI ${doc.openapi}). Server: <code>${server}</code></p>
<label>API key for “Try it” (kept in this page only) <input id="key" type="password" autocomplete="off" placeholder="qb_sk_… or the admin key"></label></header>
<div class="wrap"><nav>${nav}<h2>schemas</h2>${Object.keys(schemas).map((n) => html`<a href="#schema-${anchor(n)}">${n}</a>`)}</nav>
<main>${sections}<h2 id="schemas">schemas</h2>${schemaList}</main></div>
<script nonce="${nonce}">${raw(SCRIPT)}</script>
</body></html>`.value;
}
