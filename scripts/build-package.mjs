#!/usr/bin/env node
// Builds what `npm pack` publishes (npm's `prepack` runs it through `npm run build:package`):
//   lib/index.js, worker.js, client.js, webhook-signature.js   the four exports, bundled by
//       esbuild with their shared code in lib/chunks/; the dependencies (hono, zod, …) stay
//       imports, resolved by the consumer's bundler, so a Worker holds one copy of each
//   lib/zod-slim.js   the slim zod build our Worker bundles (opt-in `[alias]` for a consumer)
//   lib/harfbuzz-*.wasm  HarfBuzz, which the print kit imports to shape Devanagari, with its
//       licence (MIT) in lib/harfbuzz-LICENSE.txt
//   lib/types/        the declarations of what those exports reach (tsc), with relative imports
//       ending in `.js`, so TypeScript follows them under `Bundler` and `NodeNext` resolution
// The print kit and the browser kit are plain dynamic imports here (QB_SEPARATE_KITS stays
// undefined; src/routes/lazy-modules.ts): a consumer's wrangler build bundles them in, lazily
// initialised, with no upload rule. The generated client code (src/client/dist/*.gen.ts, from
// scripts/build-client.mjs, which runs first) is compiled in, so the package needs no build
// step and no install script of its own.
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { nodeModuleStub } from "./kit-state.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "lib");
const types = join(out, "types");

/** Package export → its source; the declaration of each is lib/types/<source>.d.ts. */
const ENTRIES = {
  index: "src/bridge.ts",
  worker: "src/index.ts",
  client: "src/client/app.ts",
  "webhook-signature": "src/core/webhook-signature.ts",
};

rmSync(out, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([k, v]) => [k, join(root, v)])),
  outdir: out,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  // Every dependency stays an import; `cloudflare:workers` is the runtime's own module.
  packages: "external",
  external: ["cloudflare:*"],
  // The kits are imported from their sources (a consumer cannot upload ours). Left alone:
  // QB_PRODUCTION_BUILD, which a consumer may define to drop the demo as `npm run deploy` does.
  define: { QB_SEPARATE_KITS: "undefined" },
  // HarfBuzz (the print kit's Devanagari shaping): its wasm copied beside the chunks and left an
  // import, which a consumer's wrangler build uploads as a compiled module (its default rules);
  // its glue's Node-only `import("module")` a stub.
  loader: { ".wasm": "copy" },
  plugins: [nodeModuleStub],
  legalComments: "none",
  logLevel: "warning",
});
copyFileSync(join(root, "src/vendor/zod-slim.js"), join(out, "zod-slim.js"));
// HarfBuzz's licence (MIT) travels with its wasm, which the package redistributes.
copyFileSync(join(root, "node_modules/harfbuzzjs/LICENSE"), join(out, "harfbuzz-LICENSE.txt"));

const tsc = spawnSync(
  process.execPath,
  [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
  {
    cwd: root,
    stdio: "inherit",
  },
);
if (tsc.status !== 0) {
  console.error("qrbridge: the package's declarations did not compile (see above)");
  process.exit(tsc.status ?? 1);
}

// Relative specifiers of a declaration file: `from "./x"`, `import("./x")`.
const SPECIFIER = /(\bfrom\s+|\bimport\s*\()(["'])(\.\.?\/[^"']+)\2/g;

/** `./x` → `./x.js` (or `./x/index.js`), as the file next to `from` is named. */
function withExtension(from, spec) {
  if (spec.endsWith(".js")) return spec;
  const base = resolve(dirname(from), spec);
  if (existsSync(`${base}.d.ts`)) return `${spec}.js`;
  if (existsSync(join(base, "index.d.ts"))) return `${spec}/index.js`;
  throw new Error(`${relative(root, from)}: no declaration for ${spec}`);
}

// Keep the declarations the exports reach, rewriting their imports on the way.
const reached = new Set();
const queue = Object.values(ENTRIES).map((src) =>
  join(types, relative("src", src).replace(/\.ts$/, ".d.ts")),
);
while (queue.length > 0) {
  const file = queue.pop();
  if (reached.has(file)) continue;
  reached.add(file);
  const text = readFileSync(file, "utf8").replace(SPECIFIER, (_, head, quote, spec) => {
    const rewritten = withExtension(file, spec);
    queue.push(resolve(dirname(file), rewritten.replace(/\.js$/, ".d.ts")));
    return `${head}${quote}${rewritten}${quote}`;
  });
  writeFileSync(file, text);
}
for (const file of readdirSync(types, { recursive: true, withFileTypes: true })) {
  const path = join(file.parentPath, file.name);
  if (file.isFile() && !reached.has(path)) rmSync(path);
}
for (const dir of readdirSync(types, { recursive: true, withFileTypes: true }).reverse()) {
  const path = join(dir.parentPath, dir.name);
  if (dir.isDirectory() && readdirSync(path).length === 0) rmSync(path, { recursive: true });
}
if (!process.argv.includes("--quiet")) {
  console.log(`qrbridge: built lib/ (${reached.size} declaration files)`);
}
