/**
 * `node bench/print-memory.mjs [case…]`: the font memory one print file keeps, per case of
 * bench/print-memory-node.ts (plain, zh, mixed, shaped, dense, blocks), each in its own Node process with
 * `--expose-gc` (workerd reports no memory per request). Needs the glyph packs:
 * `node scripts/build-fonts.mjs`. Memory figures vary by ±1 MB from run to run; the block and
 * glyph counts do not.
 */
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

const ROOT = new URL("../", import.meta.url).pathname;
const cases = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ["plain", "zh", "mixed", "shaped", "dense", "blocks"];
const bundle = await build({
  entryPoints: [`${ROOT}bench/print-memory-node.ts`],
  bundle: true,
  format: "esm",
  platform: "node",
  target: "es2022",
  define: { QB_SEPARATE_KITS: "undefined" },
  // A Worker imports a .wasm file as its compiled module (HarfBuzz, store/print-shaping.ts).
  plugins: [
    {
      name: "wasm-module",
      setup(b) {
        b.onLoad({ filter: /\.wasm$/ }, (args) => ({
          contents: `import { readFileSync } from "node:fs";\nexport default new WebAssembly.Module(readFileSync(${JSON.stringify(args.path)}));`,
          loader: "js",
        }));
      },
    },
  ],
  write: false,
  logLevel: "warning",
});
const file = join(tmpdir(), `qrbridge-print-memory-${process.pid}.mjs`);
// The bundle reads build/assets relative to itself: give it the repository's path.
writeFileSync(
  file,
  bundle.outputFiles[0].text.replaceAll(
    "import.meta.url",
    JSON.stringify(`file://${ROOT}bench/x.mjs`),
  ),
);
try {
  const run = (...args) =>
    execFileSync(process.execPath, ["--expose-gc", file, ...args], { encoding: "utf8" });
  // blocks: as many blocks as a file may draw on, found in a process of its own first.
  for (const c of cases)
    process.stdout.write(c === "blocks" ? run(c, run("blocks-size").trim()) : run(c));
} finally {
  rmSync(file, { force: true });
}
