#!/usr/bin/env node
// The package as a new user gets it (`npm run check:package`; .ci/run runs it):
// 1. `npm pack` (prepack builds lib/): the tarball holds every export's JavaScript and
//    declarations, the migrations, README, LICENSE, CHANGELOG and wrangler.example.toml, and no
//    tests, benches or sources; its size is the one the README states (within 20 %).
// 2. A Worker project in a temporary folder, set up as the README's "Use as a library" says:
//    the tarball and wrangler from the registry (`npm install --prefer-offline`), src/index.ts
//    exactly the README's snippet (after the `check:package src/index.ts` marker), wrangler.toml
//    the package's wrangler.example.toml; it type-checks against the shipped declarations, and
//    qrbridge/client and qrbridge/webhook-signature load in Node.
// 3. `wrangler deploy --dry-run` builds it; the D1 migrations are applied from the installed
//    package; the built bundle runs in workerd (Miniflare): /healthz, an API key minted with the
//    admin key, a poster created, scanned from a phone (200 landing page) and counted in the
//    funnel; the print kit and the browser kit (the embed, the OpenAPI document) answer.
// Exits non-zero with a message on the first failure. `--keep` keeps the temporary folder.
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" };
const ADMIN_KEY = "qb_admin_package_check_0123456789abcdef";
const ORIGIN = "https://qr.example.com";
const PHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

class CheckFailed extends Error {}
const fail = (message) => {
  throw new CheckFailed(message);
};
const say = (message) => console.log(`check:package: ${message}`);

/** Run a command; its stdout, or a failure naming the command and its output. */
function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, env: ENV, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0)
    fail(`\`${cmd} ${args.join(" ")}\` failed in ${cwd}:\n${r.stderr || r.stdout}`);
  return r.stdout;
}

/** The fenced block that follows `<!-- check:package <name> -->` in the README. */
function readmeBlock(name) {
  const marker = `<!-- check:package ${name} -->`;
  const at = README.indexOf(marker);
  const m = at < 0 ? null : /```\w*\n([\s\S]*?)```/.exec(README.slice(at + marker.length));
  return m ? m[1] : fail(`README.md has no fenced block after ${marker}`);
}

/** 1. Pack; check the tarball's files and size. */
function pack(dir) {
  run("npm", ["pack", "--pack-destination", dir], ROOT);
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  if (!tarball) fail(`npm pack left no tarball in ${dir}`);
  const files = run("tar", ["-tzf", join(dir, tarball)], ROOT)
    .split("\n")
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ""));
  const unwanted = files.filter((f) => /^(test|bench|src|scripts|\.ci)\//.test(f));
  if (unwanted.length > 0) fail(`the tarball holds what no consumer needs: ${unwanted.join(", ")}`);
  const required = ["README.md", "LICENSE", "CHANGELOG.md", "wrangler.example.toml"];
  for (const target of Object.values(PKG.exports)) {
    for (const path of typeof target === "string" ? [target] : Object.values(target)) {
      required.push(path.replace(/^\.\//, ""));
    }
  }
  for (const sql of readdirSync(join(ROOT, "migrations"))) required.push(`migrations/${sql}`);
  const missing = required.filter((f) => !files.includes(f));
  if (missing.length > 0) fail(`the tarball lacks ${missing.join(", ")}`);

  const [info] = JSON.parse(run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], ROOT));
  const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
  say(
    `package ${tarball}: ${kB(info.size)} packed, ${kB(info.unpackedSize)} unpacked, ${info.entryCount} files`,
  );
  const stated = /Package size[^\n]*?([\d.]+) kB packed/.exec(README);
  if (!stated) fail("README.md states no package size (`Package size: … kB packed`)");
  if (Math.abs(Number(stated[1]) * 1000 - info.size) > 0.2 * info.size) {
    fail(`README.md says ${stated[1]} kB packed, the package is ${kB(info.size)}: update it`);
  }
  return join(dir, tarball);
}

/** 2. The consumer's project, as the README sets it up. */
function setUpFixture(dir, tarball) {
  const dev = PKG.devDependencies;
  const manifest = {
    name: "qrbridge-package-fixture",
    private: true,
    type: "module",
    dependencies: { qrbridge: `file:${tarball}` },
    devDependencies: {
      wrangler: dev.wrangler,
      typescript: dev.typescript,
      "@cloudflare/workers-types": dev["@cloudflare/workers-types"],
    },
  };
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], dir);
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src/index.ts"), readmeBlock("src/index.ts"));
  copyFileSync(
    join(dir, "node_modules/qrbridge/wrangler.example.toml"),
    join(dir, "wrangler.toml"),
  );

  // The shipped declarations, strictly (skipLibCheck off): the snippet and every export.
  mkdirSync(join(dir, "check"));
  writeFileSync(
    join(dir, "check/exports.ts"),
    `import { type BridgeOptions, createBridge, type Env } from "qrbridge";
import worker, { HandoffObject } from "qrbridge/worker";
import { createAppClient, type ResolveResult } from "qrbridge/client";
import { verifyWebhook, type VerifyResult } from "qrbridge/webhook-signature";
const options: BridgeOptions = { basePath: "/qr" };
export const bridge = createBridge(options);
export const handler: ExportedHandler<Env> = worker;
export const objects = [HandoffObject];
export const client = createAppClient({ baseUrl: "${ORIGIN}" });
export type Seen = ResolveResult | VerifyResult;
export const verify: (s: string, b: string, h: string) => Promise<VerifyResult> = verifyWebhook;
`,
  );
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "ES2022",
      moduleResolution: "Bundler",
      lib: ["ES2023"],
      types: ["@cloudflare/workers-types"],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
    },
    include: ["src", "check"],
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  run("npx", ["tsc", "-p", "tsconfig.json"], dir);
  say("the README's src/index.ts and every export type-check against the shipped declarations");

  run(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import { signWebhook, verifyWebhook } from "qrbridge/webhook-signature";
import { createAppClient } from "qrbridge/client";
const header = await signWebhook("whsec_check", "{}", 1767225600);
const check = await verifyWebhook("whsec_check", "{}", header, { now: 1767225600 });
if (!check.ok || typeof createAppClient !== "function") process.exit(1);`,
    ],
    dir,
  );
  say("qrbridge/client and qrbridge/webhook-signature load and work in Node");
}

/** 3. Build as `wrangler deploy` would; migrate from the package; run the bundle in workerd. */
async function buildAndRun(dir) {
  run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", "dist"], dir);
  // index.js, and HarfBuzz's wasm (the print kit's Devanagari shaping), which wrangler's default
  // rules upload beside it as a compiled module: no upload rule of the consumer's.
  const built = readdirSync(join(dir, "dist")).filter((f) => /\.(m?js|wasm)$/.test(f));
  const others = built.filter((f) => f !== "index.js");
  if (!built.includes("index.js") || others.some((f) => !/harfbuzz-\w+\.wasm$/.test(f)))
    fail(`the build needs modules besides index.js and HarfBuzz's wasm: ${built.join(", ")}`);
  const gzip = run("sh", ["-c", "gzip -9 -c dist/index.js | wc -c"], dir).trim();
  say(
    `wrangler deploy --dry-run: dist/index.js, ${(Number(gzip) / 1024).toFixed(1)} KiB gzip, and ${others.join(", ") || "no wasm"}`,
  );
  run(
    "npx",
    ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", "state"],
    dir,
  );

  const require = createRequire(join(dir, "package.json"));
  const wrangler = require.resolve("wrangler");
  const { unstable_getMiniflareWorkerOptions } = require(wrangler);
  const { Miniflare } = await import(
    pathToFileURL(createRequire(wrangler).resolve("miniflare")).href
  );
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(dir, "wrangler.toml"));
  // Queue batches are taken at once (their timeout only delays the count this check waits for).
  const queueConsumers = Object.fromEntries(
    Object.entries(workerOptions.queueConsumers).map(([q, o]) => [q, { ...o, maxBatchTimeout: 0 }]),
  );
  const mf = new Miniflare({
    ...workerOptions,
    modules: true,
    scriptPath: join(dir, "dist/index.js"),
    modulesRoot: join(dir, "dist"),
    queueConsumers,
    bindings: {
      ...workerOptions.bindings,
      QB_ADMIN_KEY: ADMIN_KEY,
      QB_SIGNING_KEYS: "P1:package-check-signing-key-0123456789abcdef",
      QB_IP_SALT: "package-check-salt",
    },
    d1Persist: join(dir, "state/v3/d1"),
    cf: false,
  });
  try {
    await exercise(mf);
  } finally {
    await mf.dispose();
  }
}

/** The requests: health, key, poster, scan, funnel, the two kits. */
async function exercise(mf) {
  const send = async (path, { key, json, headers = {} } = {}) => {
    const h = { ...headers, ...(key && { authorization: `Bearer ${key}` }) };
    if (json !== undefined) h["content-type"] = "application/json";
    const res = await mf.dispatchFetch(`${ORIGIN}${path}`, {
      method: json === undefined ? "GET" : "POST",
      headers: h,
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get("content-type") ?? "", text };
  };
  const expect = (res, status, what) =>
    res.status === status ? res : fail(`${what}: ${res.status} ${res.text.slice(0, 300)}`);

  const health = JSON.parse(expect(await send("/healthz"), 200, "GET /healthz").text);
  if (health.version !== PKG.version)
    fail(`/healthz reports ${health.version}, not ${PKG.version}`);
  const scopes = ["posters:write", "stats:read"];
  const minted = await send("/v1/keys", {
    key: ADMIN_KEY,
    json: { name: "check", kind: "secret", scopes },
  });
  const { key } = JSON.parse(expect(minted, 201, "POST /v1/keys with the admin key").text);
  const created = await send("/v1/posters", { key, json: { name: "Check", path: "/menu" } });
  const poster = JSON.parse(expect(created, 201, "POST /v1/posters").text);
  const scan = expect(
    await send(new URL(poster.url).pathname, { headers: { "user-agent": PHONE_UA } }),
    200,
    `GET ${poster.url} from a phone`,
  );
  if (!scan.type.startsWith("text/html"))
    fail(`the scan answered ${scan.type}, not a landing page`);
  say(
    `/healthz ${health.version}; key minted; poster ${poster.id} created and scanned (200 landing page)`,
  );

  // The hop goes through the HOPS queue into the rollups; wait for it (a hang fails at 60 s).
  const deadline = Date.now() + 60_000;
  for (;;) {
    const funnel = await send(`/v1/stats/funnel?group_by=poster&poster_id=${poster.id}`, { key });
    const totals = JSON.parse(expect(funnel, 200, "GET /v1/stats/funnel").text).totals;
    if (totals?.scanned === 1) break;
    if (Date.now() > deadline)
      fail(`the scan was not counted: funnel totals ${JSON.stringify(totals)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  say("the scan is counted in the funnel (queue → consumer → D1 rollups)");

  const print = expect(await send(`/v1/posters/${poster.id}/print.svg`, { key }), 200, "print.svg");
  if (!print.type.startsWith("image/svg+xml")) fail(`print.svg answered ${print.type}`);
  const sdk = expect(await send("/sdk/qrbridge.js"), 200, "GET /sdk/qrbridge.js");
  if (!sdk.text.includes("qr-bridge")) fail("/sdk/qrbridge.js does not define <qr-bridge>");
  const doc = JSON.parse(expect(await send("/openapi.json"), 200, "GET /openapi.json").text);
  // The document is generated by the browser kit from the routes' metadata: a lost metadata
  // registry would leave the named schemas out of the components.
  if (!doc.paths?.["/v1/posters"]?.post || !doc.components?.schemas?.Error)
    fail("/openapi.json lacks POST /v1/posters or the Error schema");
  say(
    "the print kit (print.svg) and the browser kit (/sdk/qrbridge.js, /openapi.json) answer from the bundle",
  );
}

const tmp = mkdtempSync(join(tmpdir(), "qrbridge-package-"));
try {
  mkdirSync(join(tmp, "pack"));
  mkdirSync(join(tmp, "fixture"));
  const tarball = pack(join(tmp, "pack"));
  setUpFixture(join(tmp, "fixture"), tarball);
  await buildAndRun(join(tmp, "fixture"));
  say("ok");
} catch (err) {
  console.error(`check:package: FAILED: ${err instanceof CheckFailed ? err.message : err.stack}`);
  process.exitCode = 1;
} finally {
  if (process.argv.includes("--keep")) say(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
