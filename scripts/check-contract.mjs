#!/usr/bin/env node
// The HTTP contract checked by the tools a consumer points at it, so that the document, the
// README and a typed client cannot drift apart:
//   1. the Worker (src/index.ts, bundled as wrangler bundles it, with the browser kit as built,
//      run in Node) serves /openapi.json → test/contract/generated/openapi.json;
//   2. Redocly lints it with its `recommended` rules (redocly.yaml): any error fails;
//   3. openapi-typescript turns it into types → test/contract/generated/api.d.ts;
//   4. the README quick start's JSON bodies are typed as the requests they are sent to
//      (test/contract/generated/readme-bodies.ts), and test/contract/quickstart.ts makes the same
//      calls with openapi-fetch; and every curl body of README.md and docs/*.md, and every answer
//      they mark `<!-- check:contract <METHOD> <path> <status> -->`, is typed as its operation's
//      request or response (test/contract/generated/doc-examples.ts,
//      scripts/contract-doc-examples.mjs), and every key of an answer a doc shows in a comment
//      (`# → {"id":…}`) must be one its operation answers; tsc compiles them all
//      (test/contract/tsconfig.json).
// A field renamed in a schema, or in the README or a doc, breaks step 4; a schema a generator
// cannot read breaks step 2 or 3.
//
// Usage: npm run check:contract
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import {
  curlCalls,
  docExamplesModule,
  markedAnswers,
  shownAnswerProblems,
  shownAnswers,
} from "./contract-doc-examples.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "test/contract/generated");
const bin = (name) => join(root, "node_modules/.bin", name);
// The quick start's host: the document names it as its server, the README's curls call it.
const SERVER = "http://localhost:8787";

/** The document the default Worker serves, fetched from it in Node. */
async function servedDocument() {
  const bundled = join(out, "worker.mjs");
  await build({
    entryPoints: [join(root, "src/index.ts")],
    outfile: bundled,
    bundle: true,
    format: "esm",
    platform: "node",
    conditions: ["workerd", "worker", "browser"],
    logLevel: "error",
    // The print and browser kits stay out, as in the deploy (src/routes/lazy-modules.ts): the
    // browser kit, which generates the document, is imported as built, beside the bundle below.
    define: { QB_SEPARATE_KITS: "true" },
    plugins: [
      {
        // As wrangler.toml's [alias] (the bare specifiers only): the Worker ships the slim zod
        // build, and zod-to-openapi without its generators (the browser kit has them).
        name: "slim-builds",
        setup(b) {
          b.onResolve({ filter: /^zod$/ }, () => ({ path: join(root, "src/vendor/zod-slim.js") }));
          b.onResolve({ filter: /^@asteasolutions\/zod-to-openapi$/ }, () => ({
            path: join(root, "src/vendor/zod-to-openapi-slim.js"),
          }));
        },
      },
      {
        // The Durable Object base class exists only in workerd; serving the document never
        // constructs one.
        name: "cloudflare-workers-stub",
        setup(b) {
          b.onResolve({ filter: /^cloudflare:workers$/ }, () => ({
            path: "cloudflare:workers",
            namespace: "stub",
          }));
          b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
            contents: "export class DurableObject {}",
          }));
        },
      },
    ],
  });
  // The upload's browser kit, under the name the bundle imports it by (built by
  // scripts/build-lazy-modules.mjs, which `npm run check:contract` runs first).
  mkdirSync(join(out, "generated"), { recursive: true });
  copyFileSync(join(root, "src/generated/browser-kit.js"), join(out, "generated/browser-kit.js"));
  const { default: worker } = await import(pathToFileURL(bundled).href);
  const env = {
    QB_ENV: "development",
    QB_ADMIN_KEY: "qb_admin_contract_check_only",
    QB_SIGNING_KEYS: "C1:contract-check-signing-key-0123456789",
    QB_IP_SALT: "contract-check",
  };
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };
  const res = await worker.fetch(new Request(`${SERVER}/openapi.json`), env, ctx);
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
  return res.json();
}

/**
 * The quick start's calls as `{method, path, body}`: each `curl … localhost:8787<path> … -d
 * '<json>'` of the README's first ```sh block under "Quick start".
 */
function readmeCalls() {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Quick start"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README.md: no ```sh block under ## Quick start");
  // A command continued with a trailing backslash is one call.
  const commands = block.replace(/\\\n/g, " ").split("\n");
  const calls = [];
  for (const line of commands) {
    const m = /^curl\b.*?\blocalhost:8787(\/\S*)\s.*?-d\s+'([^']*)'/.exec(line.trim());
    if (!m) continue;
    calls.push({ method: "post", path: m[1], body: JSON.parse(m[2]) });
  }
  if (calls.length < 3) throw new Error(`README.md quick start: ${calls.length} calls found`);
  return calls;
}

/**
 * Each README body as a constant of its operation's request body type, named after the
 * operation (`createHandoff`; a second call of one operation `resolveLink2`).
 */
function readmeBodiesModule(calls, doc) {
  const lines = [
    "// Generated by scripts/check-contract.mjs from README.md's quick start: do not edit.",
    'import type { paths } from "./api";',
    "",
  ];
  const seen = new Map();
  for (const { method, path, body } of calls) {
    const operationId = doc.paths[path]?.[method]?.operationId;
    if (!operationId) throw new Error(`README.md calls ${method} ${path}: no such operation`);
    const n = (seen.get(operationId) ?? 0) + 1;
    seen.set(operationId, n);
    const type = `paths[${JSON.stringify(path)}][${JSON.stringify(method)}]["requestBody"]["content"]["application/json"]`;
    // The README abbreviates values it cannot know (`HTTP://LOCALHOST:8787/H/…`): still strings.
    lines.push(`export const ${operationId}${n > 1 ? n : ""}: ${type} = ${JSON.stringify(body)};`);
  }
  return `${lines.join("\n")}\n`;
}

function run(command, args) {
  console.log(`$ ${[command.replace(`${root}/`, ""), ...args].join(" ")}`);
  // No telemetry or update check (CI has no internet to spare).
  const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };
  execFileSync(command, args, { cwd: root, stdio: "inherit", env });
}

mkdirSync(out, { recursive: true });
const doc = await servedDocument();
const file = join(out, "openapi.json");
writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
const operations = Object.values(doc.paths).flatMap((item) => Object.keys(item)).length;
console.log(`openapi.json: ${operations} operations → test/contract/generated/openapi.json`);

// Exits non-zero on any error; warnings are printed and allowed.
run(bin("redocly"), ["lint", file, "--config", join(root, "redocly.yaml"), "--format", "stylish"]);
run(bin("openapi-typescript"), [file, "--output", join(out, "api.d.ts")]);
writeFileSync(join(out, "readme-bodies.ts"), readmeBodiesModule(readmeCalls(), doc));
const documents = ["README.md", ...readdirSync(join(root, "docs")).map((f) => `docs/${f}`)]
  .filter((f) => f.endsWith(".md"))
  .map((f) => ({ file: f, markdown: readFileSync(join(root, f), "utf8") }));
const examples = docExamplesModule(
  documents.flatMap((d) => curlCalls(d.markdown, d.file)),
  documents.flatMap((d) => markedAnswers(d.markdown, d.file)),
  doc,
);
const problems = [
  ...examples.problems,
  ...shownAnswerProblems(
    documents.flatMap((d) => shownAnswers(d.markdown, d.file)),
    doc,
  ),
];
if (problems.length > 0) {
  for (const p of problems) console.error(`contract: ${p}`);
  process.exit(1);
}
writeFileSync(join(out, "doc-examples.ts"), examples.text);
run(bin("tsc"), ["--noEmit", "-p", join(root, "test/contract/tsconfig.json")]);
console.log("contract: lint, types, the docs' examples and the typed client all agree");
