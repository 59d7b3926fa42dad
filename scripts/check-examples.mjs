#!/usr/bin/env node
// Every public export documented, every example compiling (`npm run check:examples`; .ci/run
// runs it). It reads the shipped declarations (lib/types/, built here first as `npm pack`
// builds them), not the sources: they are what a user's editor shows, `export *` and re-exports
// included, and a comment tsc does not carry into them (a file header, a comment on a statement
// it rewrites) is one no user reads.
//
// 1. For each entry point of package.json `exports` that has `types`, every export the entry
//    reaches (its own, re-exported, `export *`):
//    - a value (function, class, constant, enum, the default export) needs a JSDoc description
//      and at least one `@example`, and each example must name the export it documents;
//    - a type (interface, type alias, or anything exported with `export type`) needs a
//      description; an example is optional, and checked like the others when present.
//    Only what the entry exports is listed: members of classes and interfaces, and types reached
//    only through a signature, are not audited.
// 2. Each TypeScript `@example` (a ```ts fence or plain code; an HTML one, such as a `<qr-bridge>`
//    tag, is skipped and listed) becomes a module of its own: imports from the package's entry
//    points as a user writes them (`import { createBridge } from "qrbridge"`; the example's own
//    imports are kept), declarations of the free identifiers it assumes (`env`, `ctx`,
//    `request`… in FREE_IDENTIFIERS, examples-free-names.mjs, with the types they have in a real Worker or app), then the
//    example at a module's top level (top-level `await` allowed, `return` not). All of them are
//    type-checked strictly by the TypeScript compiler API against the shipped declarations, with
//    `@cloudflare/workers-types` as a Worker has them. So is every ```ts block of README.md and
//    docs/*.md that follows a `<!-- check:examples <entry> -->` line, as an example of that entry.
// Prints each problem as `<entry> <export>: …` and exits 1 when there is one. `--no-build` uses
// lib/ as it is.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { auditExports, markedBlocks } from "./examples-audit.mjs";
import { FREE_IDENTIFIERS } from "./examples-free-names.mjs";

export { auditExports, markedBlocks, parseExample } from "./examples-audit.mjs";
export { FREE_IDENTIFIERS } from "./examples-free-names.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The names TypeScript reports as undeclared (2304 "Cannot find name", its variants, 18004). */
const UNDECLARED = new Set([2304, 2552, 2580, 2581, 2582, 2583, 2584, 2591, 2592, 2593, 18004]);

/**
 * The entry points of a package.json `exports` map that ship declarations.
 *
 * @example
 * entryPoints({ name: "qrbridge", exports: { ".": { types: "./lib/types/bridge.d.ts" } } }, "/repo")
 * // [{ specifier: "qrbridge", types: "/repo/lib/types/bridge.d.ts" }]
 */
export function entryPoints(pkg, root) {
  return Object.entries(pkg.exports)
    .filter(([, target]) => typeof target === "object" && target.types)
    .map(([key, target]) => ({
      specifier: key === "." ? pkg.name : `${pkg.name}/${key.replace(/^\.\//, "")}`,
      types: resolve(root, target.types),
    }));
}

/**
 * Compiler options for the examples: strict, ES2022 modules, each entry's specifier mapped to
 * its declaration file as package.json `exports` maps it.
 *
 * @example
 * compilerOptions(entryPoints(pkg, ROOT), ["@cloudflare/workers-types"])
 */
export function compilerOptions(entries, types) {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2023.d.ts"],
    types,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    paths: Object.fromEntries(entries.map((e) => [e.specifier, [e.types]])),
  };
}

/** A compiler host over the disk, with `virtual` files laid over it and source files cached. */
function overlayHost(options, virtual) {
  const host = ts.createCompilerHost(options, true);
  const cache = new Map();
  const base = { ...host };
  host.fileExists = (f) => virtual.has(f) || base.fileExists(f);
  host.readFile = (f) => (virtual.has(f) ? virtual.get(f) : base.readFile(f));
  host.getSourceFile = (f, lang, onError) => {
    const text = virtual.has(f) ? virtual.get(f) : undefined;
    const key = `${f}\0${text ?? ""}`;
    if (!cache.has(key)) {
      cache.set(
        key,
        text === undefined
          ? base.getSourceFile(f, lang, onError)
          : ts.createSourceFile(f, text, lang, true),
      );
    }
    return cache.get(key);
  };
  return host;
}

/** The identifiers an example file's diagnostics call undeclared. */
function undeclaredNames(diagnostics) {
  const names = new Set();
  for (const d of diagnostics) {
    if (!UNDECLARED.has(d.code) || !d.file || d.start === undefined) continue;
    const m = /^[A-Za-z_$][\w$]*/.exec(d.file.text.slice(d.start));
    if (m) names.add(m[0]);
  }
  return names;
}

/**
 * The module an example is checked as: imports of the package exports it names but does not
 * import, declarations of the free identifiers it uses, the example, `export {}`. `header` is
 * the number of lines before the example (to point at its own lines).
 *
 * @example
 * exampleModule("signWebhook(secret, body, 0);", new Set(["signWebhook", "secret", "body"]), owners, FREE_IDENTIFIERS["*"])
 */
export function exampleModule(code, names, owners, free) {
  const imports = new Map();
  const declarations = [];
  const unknown = [];
  for (const name of names) {
    const owner = owners.get(name);
    if (owner) imports.set(owner, [...(imports.get(owner) ?? []), name]);
    else if (Object.hasOwn(free, name)) declarations.push(free[name]);
    else unknown.push(name);
  }
  const head = [
    ...[...imports].map(([from, list]) => `import { ${list.join(", ")} } from "${from}";`),
    ...declarations,
  ];
  return { text: `${[...head, code, "export {};"].join("\n")}\n`, header: head.length, unknown };
}

/**
 * Audit the exports of `entries` and type-check every TypeScript example, and those of
 * `documents` (marked Markdown blocks, {@link markedBlocks}); `virtual` lays in-memory files over
 * the disk (declarations to audit, in tests). Returns the exports, the
 * problems (`{ specifier, name, message }`), and the examples checked and skipped.
 *
 * @example
 * const result = checkExamples({ root: ROOT, entries: entryPoints(pkg, ROOT), types: ["@cloudflare/workers-types"] });
 * for (const p of result.problems) console.error(`${p.specifier} ${p.name}: ${p.message}`);
 */
export function checkExamples({
  root,
  entries,
  types = [],
  virtual = new Map(),
  free = FREE_IDENTIFIERS,
  documents = [],
}) {
  const options = compilerOptions(entries, types);
  const files = new Map(virtual);
  const host = overlayHost(options, files);
  let program = ts.createProgram({ rootNames: entries.map((e) => e.types), options, host });
  const { exports, problems } = auditExports(program, entries);

  // An export name → the first entry point (in package.json order) that exports it.
  const owners = new Map();
  for (const e of exports)
    if (e.name !== "default" && !owners.has(e.name)) owners.set(e.name, e.specifier);

  const checked = [];
  const skipped = [];
  for (const item of [...exports, ...documents]) {
    for (const [i, ex] of item.examples.entries()) {
      const where = { specifier: item.specifier, name: item.name, index: i + 1 };
      if (ex.lang !== "ts") {
        skipped.push({ ...where, lang: ex.lang });
        continue;
      }
      const slug = `${item.specifier}-${item.name}-${i + 1}`.replace(/[^\w-]+/g, "_");
      const file = join(root, ".check-examples", `${slug}.ts`);
      checked.push({ ...where, file, code: ex.code });
    }
  }

  // Pass 1: each example alone, to learn the names it uses without declaring them.
  for (const ex of checked) files.set(ex.file, `${ex.code}\nexport {};\n`);
  const rootNames = [...entries.map((e) => e.types), ...checked.map((ex) => ex.file)];
  program = ts.createProgram({ rootNames, options, host, oldProgram: program });
  for (const ex of checked) {
    const sf = program.getSourceFile(ex.file);
    const names = undeclaredNames(program.getSemanticDiagnostics(sf));
    const declared = { ...free["*"], ...free[ex.specifier] };
    const module = exampleModule(ex.code, names, owners, declared);
    files.set(ex.file, module.text);
    ex.text = module.text;
    ex.header = module.header;
    for (const name of module.unknown) {
      problems.push({
        specifier: ex.specifier,
        name: ex.name,
        message: `@example ${ex.index} uses \`${name}\`, which no entry point exports and FREE_IDENTIFIERS (scripts/examples-free-names.mjs) does not declare: declare it in the example`,
      });
    }
  }

  // Pass 2: as a user compiles it.
  program = ts.createProgram({ rootNames, options, host, oldProgram: program });
  for (const ex of checked) {
    const sf = program.getSourceFile(ex.file);
    const diagnostics = [
      ...program.getSyntacticDiagnostics(sf),
      ...program.getSemanticDiagnostics(sf),
    ];
    for (const d of diagnostics) {
      if (UNDECLARED.has(d.code)) continue; // reported above, by name
      const line =
        d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
      const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
      problems.push({
        specifier: ex.specifier,
        name: ex.name,
        message: `@example ${ex.index}, line ${line - ex.header + 1}: ${text}`,
      });
    }
  }
  for (const d of program.getGlobalDiagnostics()) {
    problems.push({
      specifier: "*",
      name: "*",
      message: ts.flattenDiagnosticMessageText(d.messageText, " "),
    });
  }
  return { exports, problems, checked, skipped };
}

function main() {
  if (!process.argv.includes("--no-build")) {
    for (const script of ["build-client.mjs", "build-package.mjs"]) {
      const r = spawnSync(process.execPath, [join(ROOT, "scripts", script), "--quiet"], {
        cwd: ROOT,
        stdio: "inherit",
      });
      if (r.status !== 0) process.exit(r.status ?? 1);
    }
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const entries = entryPoints(pkg, ROOT);
  const documents = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => `docs/${f}`)]
    .filter((path) => path.endsWith(".md"))
    .flatMap((path) => markedBlocks(readFileSync(join(ROOT, path), "utf8"), path));
  const types = ["@cloudflare/workers-types"];
  const result = checkExamples({ root: ROOT, entries, types, documents });
  for (const s of result.skipped) {
    console.error(
      `check:examples: skipped ${s.specifier} ${s.name} @example ${s.index} (${s.lang}, not TypeScript)`,
    );
  }
  for (const p of result.problems)
    console.error(`check:examples: ${p.specifier} ${p.name}: ${p.message}`);
  const values = result.exports.filter((e) => e.kind === "value").length;
  console.error(
    `check:examples: ${entries.length} entry points, ${values} values and ${result.exports.length - values} types exported, ${result.checked.length} examples type-checked (${documents.length} of them from the docs), ${result.problems.length} problems`,
  );
  if (result.problems.length > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
