// The published package and what documents it agree with the Worker: wrangler.example.toml binds
// what our wrangler.toml and src/env.ts bind, the docs show that file as it is, the README's
// library snippet exports the classes it names, every export has its source, and the `qrbridge
// migrations` command copies the migrations safely. (scripts/check-package.mjs builds, installs
// and runs the real package; this file keeps the texts from drifting between its runs.)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { call } from "./node-worker";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const ours = read("wrangler.toml");
const example = read("wrangler.example.toml");
const pkg = JSON.parse(read("package.json")) as {
  version: string;
  files: string[];
  bin: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
};

/** The `[[name]]` tables of a wrangler.toml, each as its `key = value` lines (values as written). */
function tables(toml: string, name: string): Record<string, string>[] {
  return toml
    .split(/^(?=\[)/m)
    .filter((block) => block.startsWith(`[[${name}]]`))
    .map((block) => {
      const entries: Record<string, string> = {};
      for (const m of block.matchAll(/^([\w"]+)\s*=\s*(.+)$/gm)) entries[m[1]!] = m[2]!.trim();
      return entries;
    });
}

/** The `[name]` table's lines (a single table, not an array of them). */
function table(toml: string, name: string): string {
  const block = toml.split(/^(?=\[)/m).find((b) => b.startsWith(`[${name}]\n`));
  return (block ?? "")
    .replace(`[${name}]\n`, "")
    .replace(/^#.*\n/gm, "")
    .trim();
}

/** The fenced block that follows `marker` in a Markdown text. */
function blockAfter(markdown: string, marker: string): string {
  const at = markdown.indexOf(marker);
  expect(at, `${marker} is missing`).toBeGreaterThanOrEqual(0);
  const m = /```\w*\n([\s\S]*?)```/.exec(markdown.slice(at + marker.length));
  return m?.[1] ?? "";
}

describe("wrangler.example.toml", () => {
  const same = [
    "durable_objects.bindings",
    "migrations",
    "kv_namespaces",
    "r2_buckets",
    "queues.producers",
    "queues.consumers",
    "ratelimits",
  ];
  it.each(same)("has our wrangler.toml's [[%s]] tables, as they are", (name) => {
    expect(tables(ours, name).length).toBeGreaterThan(0);
    expect(tables(example, name)).toEqual(tables(ours, name));
  });

  it("binds DB to the migrations shipped in the package, and runs our cron", () => {
    const [db] = tables(example, "d1_databases");
    const [ourDb] = tables(ours, "d1_databases");
    expect(db).toEqual({ ...ourDb, migrations_dir: '"node_modules/qrbridge/migrations"' });
    expect(table(ours, "triggers")).toMatch(/^crons = \[".+"\]$/);
    expect(table(example, "triggers")).toBe(table(ours, "triggers"));
  });

  it("binds every binding src/env.ts reads, but the print fonts and the extra hop shards", () => {
    const env = read("src/env.ts");
    const bindings = [...env.matchAll(/^ {2}([A-Z][A-Z_\d]*)\??:/gm)]
      .map((m) => m[1]!)
      .filter((name) => !name.startsWith("QB_") && name !== "PRINT_FONTS");
    expect(bindings.length).toBeGreaterThan(10);
    for (const name of bindings) expect(example).toMatch(new RegExp(`"${name}"`));
  });

  it("is what docs/library.md shows, character for character", () => {
    expect(blockAfter(read("docs/library.md"), "<!-- wrangler.example.toml -->")).toBe(example);
  });

  it("aliases zod to the slim build the package ships", () => {
    expect(table(example, "alias")).toBe('"zod" = "qrbridge/zod-slim"');
    expect(pkg.exports["./zod-slim"]).toBe("./lib/zod-slim.js");
  });
});

describe("the README's library snippet (the src/index.ts check:package builds)", () => {
  const snippet = blockAfter(read("README.md"), "<!-- check:package src/index.ts -->");

  it("imports only the package's main export", () => {
    const imports = [...snippet.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    expect(imports).toEqual(["qrbridge"]);
  });

  it("exports each Durable Object class the example binds, and the three handlers", () => {
    for (const { class_name } of tables(example, "durable_objects.bindings")) {
      const name = JSON.parse(class_name!) as string;
      expect(snippet).toContain(`export const ${name} = bridge.${name};`);
    }
    expect(snippet).toContain(
      "export default { fetch: bridge.fetch, queue: bridge.queue, scheduled: bridge.scheduled };",
    );
  });
});

describe("package.json", () => {
  it("ships lib/, the migrations, the command and the example, and nothing of test/ or bench/", () => {
    expect(pkg.files).toEqual([
      "lib/",
      "migrations/",
      "bin/",
      "wrangler.example.toml",
      "CHANGELOG.md",
    ]);
    expect(existsSync(join(ROOT, "LICENSE"))).toBe(true);
    expect(existsSync(join(ROOT, pkg.bin.qrbridge!))).toBe(true);
  });

  it("gives every code export built JavaScript and declarations of an existing source", () => {
    const code = Object.entries(pkg.exports).filter(([, t]) => typeof t !== "string");
    expect(code.map(([name]) => name)).toEqual([
      ".",
      "./worker",
      "./client",
      "./webhook-signature",
    ]);
    for (const [, target] of code) {
      const { types, default: js } = target as { types: string; default: string };
      expect(js).toMatch(/^\.\/lib\/[\w-]+\.js$/);
      expect(types).toMatch(/^\.\/lib\/types\/.+\.d\.ts$/);
      const source = types.replace("./lib/types/", "src/").replace(/\.d\.ts$/, ".ts");
      expect(existsSync(join(ROOT, source)), source).toBe(true);
    }
  });

  it("names the version /healthz and the OpenAPI document report", async () => {
    const health = (await (await call("/healthz")).json()) as { version: string };
    const doc = (await (await call("/openapi.json")).json()) as { info: { version: string } };
    expect(health.version).toBe(pkg.version);
    expect(doc.info.version).toBe(pkg.version);
    expect(read("CHANGELOG.md")).toContain(`## ${pkg.version} — `);
  });
});

describe("npx qrbridge migrations <dir>", () => {
  const tmp = mkdtempSync(join(tmpdir(), "qrbridge-bin-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const migrations = readdirSync(join(ROOT, "migrations")).filter((f) => f.endsWith(".sql"));
  const qrbridge = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, "bin/qrbridge.mjs"), ...args], { encoding: "utf8" });

  it("copies every migration into the folder, then finds them there", () => {
    const dir = join(tmp, "copy");
    expect(qrbridge("migrations", dir).status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(migrations.sort());
    for (const f of migrations)
      expect(read(join("migrations", f))).toBe(readFileSync(join(dir, f), "utf8"));
    const again = qrbridge("migrations", dir);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(
      `0 migration(s) copied into ${dir}, ${migrations.length} already there`,
    );
  });

  it("refuses to overwrite an edited copy, and copies nothing then", () => {
    const dir = join(tmp, "edited");
    const [first, second] = migrations.sort();
    expect(qrbridge("migrations", dir).status).toBe(0);
    writeFileSync(join(dir, first!), "-- edited\n");
    rmSync(join(dir, second!));
    const res = qrbridge("migrations", dir);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`${first} in ${dir} differ from qrbridge's: nothing copied`);
    expect(existsSync(join(dir, second!))).toBe(false);
  });

  it("prints its usage and fails without a folder", () => {
    const res = qrbridge("migrations");
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("usage: qrbridge migrations <dir>");
  });
});
