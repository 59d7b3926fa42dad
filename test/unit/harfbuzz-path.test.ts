// HarfBuzz (the print kit's Devanagari shaping) stays off the scan path: the Worker's bundle, as
// wrangler builds it with the kits uploaded apart (QB_SEPARATE_KITS), holds none of it, and of
// the kits only the print kit imports its wasm, which the build leaves an import of the module
// uploaded beside it.
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { kitBuildOptions } from "../../scripts/kit-state.mjs";

describe("HarfBuzz's place in the upload", () => {
  it("is in no module the Worker's bundle holds", async () => {
    const out = await build({
      entryPoints: ["src/index.ts"],
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      packages: "external",
      external: ["cloudflare:*"],
      define: { QB_SEPARATE_KITS: "true" },
      logLevel: "silent",
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs).toContain("src/index.ts");
    expect(inputs.filter((p) => /harfbuzz|print-shaping|shaped-runs/.test(p))).toEqual([]);
    expect(out.outputFiles[0]!.text).not.toMatch(/harfbuzz\.wasm/);
  });

  it("is imported by the print kit only, as the wasm module beside it", async () => {
    for (const kit of [
      "print-kit",
      "browser-kit",
      "maintenance-kit",
      "scan-words-kit",
      "admin-kit",
    ]) {
      const out = await build({ ...kitBuildOptions(`src/${kit}.ts`), metafile: true });
      const imports = Object.values(out.metafile.outputs).flatMap((o) => o.imports);
      const wasm = imports.filter((i) => i.path.endsWith(".wasm"));
      if (kit === "print-kit")
        expect(wasm, kit).toEqual([
          { path: "./harfbuzz.wasm", kind: "import-statement", external: true },
        ]);
      else expect(wasm, kit).toEqual([]);
    }
  });
});
