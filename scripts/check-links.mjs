#!/usr/bin/env node
// Relative links and `#anchors` of README.md, ARCHITECTURE.md, CHANGELOG.md and docs/*.md
// (`npm run check:links`; test/unit/doc-links.test.ts runs the same check in `npm test`). A
// reader who follows a link to a file that moved, or to a heading that was reworded, lands
// nowhere; neither GitHub nor npm says so. Anchors are checked as GitHub makes them from the
// headings (github-slugger: lower case, punctuation dropped, spaces to hyphens, `-1`, `-2`… for
// repeats) and from `<a id>` / `<a name>` tags. Links to other files are checked for existence
// (an anchor into a file that is not Markdown, `file.ts#L10`, is not checked). Links to other
// sites (`https:`, `mailto:`…) are not followed: no network here. The files the docs name outside
// links (`src/core/bidi.ts`, `node bench/store.mjs`) must exist too (missingPaths), and so must
// the npm scripts and benchmarks they tell a reader to run (unknownCommands).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * The documents a reader of the repository or the package follows links between.
 *
 * @example
 * documentPaths() // ["README.md", "ARCHITECTURE.md", "CHANGELOG.md", "docs/api.md", …]
 */
export function documentPaths(root = ROOT) {
  const top = ["README.md", "ARCHITECTURE.md", "CHANGELOG.md"].filter((f) =>
    existsSync(join(root, f)),
  );
  const docs = readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`);
  return [...top, ...docs];
}

/** `text` with every character but newlines turned to a space (offsets and lines kept). */
const blank = (text) => text.replace(/[^\n]/g, " ");

/**
 * The Markdown with its fenced code blocks blanked out (same length, newlines kept): a `#` line
 * in a shell example is no heading.
 *
 * @example
 * withoutFences("```sh\n# a comment\n```\n# Title") // "   \n           \n   \n# Title"
 */
export function withoutFences(markdown) {
  return markdown.replace(
    /^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\2[^\n]*$|(?![\s\S]))/gm,
    blank,
  );
}

/**
 * The Markdown with fenced code blocks and inline code spans blanked out, so a link shown as
 * code (`[text](target)` in backticks) is not checked.
 *
 * @example
 * withoutCode("see `[a](b)` and [c](d)") // "see          and [c](d)"
 */
export function withoutCode(markdown) {
  return withoutFences(markdown).replace(/(`+)[^`][\s\S]*?(?<!`)\1(?!`)/g, blank);
}

/**
 * The anchor GitHub gives a heading's text (github-slugger): inline Markdown reduced to its
 * text, lower case, every character that is not a letter, mark, digit, `_`, `-` or space
 * dropped, spaces turned to hyphens.
 *
 * @example
 * slug("Caching and propagation (read this before relying on pause)") // "caching-and-propagation-read-this-before-relying-on-pause"
 * slug("HandoffObject (`src/store/handoff-object.ts`)") // "handoffobject-srcstorehandoff-objectts"
 */
export function slug(heading) {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // [text](url) → text
    .replace(/<[^>]+>/g, ""); // inline HTML tags
  // `*`, `` ` `` and `~` (emphasis, code) are punctuation or symbols: the last step drops them.
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/**
 * Every anchor a Markdown document has: its headings' slugs (repeats numbered as GitHub numbers
 * them) and the ids and names of its `<a>` tags.
 *
 * @example
 * anchors("# Limits\n## Limits\n<a id=\"print-kit\"></a>") // Set { "limits", "limits-1", "print-kit" }
 */
export function anchors(markdown) {
  const text = withoutFences(markdown);
  const found = new Set();
  const seen = new Map();
  for (const m of text.matchAll(/^ {0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)) {
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    found.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of text.matchAll(/<a\s[^>]*\b(?:id|name)=["']([^"']+)["']/gi)) found.add(m[1]);
  return found;
}

/**
 * The links of a Markdown document that stay in the repository: inline `[text](target)` and
 * `<a href>`, and reference definitions `[label]: target`, with their line. Links to another
 * scheme (`https:`, `mailto:`…) and protocol-relative ones are left out.
 *
 * @example
 * links("See [docs](docs/stats.md#stages) and [site](https://example.com).")
 * // [{ target: "docs/stats.md#stages", line: 1 }]
 */
export function links(markdown) {
  const text = withoutCode(markdown);
  const found = [];
  const add = (target, index) => {
    const t = target.trim().replace(/^<(.*)>$/, "$1");
    if (t === "" || /^[a-z][a-z0-9+.-]*:/i.test(t) || t.startsWith("//")) return;
    found.push({ target: t, line: text.slice(0, index).split("\n").length });
  };
  // [text](target "title"); the text may hold `code` (blanked) or an image.
  for (const m of text.matchAll(/\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+"[^"]*")?\s*\)/g))
    add(m[1], m.index);
  for (const m of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*(\S+)/gm)) add(m[1], m.index);
  for (const m of text.matchAll(/<a\s[^>]*\bhref=["']([^"']+)["']/gi)) add(m[1], m.index);
  return found;
}

/**
 * The broken relative links of `paths` (relative to `root`): a file that does not exist, or an
 * anchor that the Markdown file it points into (the same one for `#anchor`) does not have.
 * `read` reads a document by its absolute path (the disk by default; a map in tests).
 *
 * @example
 * brokenLinks(["README.md", "docs/stats.md"], "/repo")
 * // [{ file: "README.md", line: 12, target: "docs/stats.md#stage", reason: "no heading or <a id> \"stage\" in docs/stats.md" }]
 */
export function brokenLinks(paths, root = ROOT, read = (p) => readFileSync(p, "utf8")) {
  const anchorCache = new Map();
  const anchorsOf = (abs) => {
    if (!anchorCache.has(abs)) anchorCache.set(abs, anchors(read(abs)));
    return anchorCache.get(abs);
  };
  const exists = (abs) => {
    try {
      read(abs);
      return true;
    } catch {
      return existsSync(abs) && statSync(abs).isDirectory();
    }
  };
  const broken = [];
  for (const path of paths) {
    const from = resolve(root, path);
    for (const { target, line } of links(read(from))) {
      const hash = target.indexOf("#");
      const filePart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
      const anchor = hash === -1 ? "" : decodeURIComponent(target.slice(hash + 1));
      const file = filePart === "" ? from : resolve(dirname(from), filePart.split("?")[0]);
      const shown = relative(root, file);
      const report = (reason) => broken.push({ file: path, line, target, reason });
      if (!exists(file)) {
        report(`no file ${shown}`);
        continue;
      }
      if (anchor && file.endsWith(".md") && !anchorsOf(file).has(anchor)) {
        report(`no heading or <a id> "${anchor}" in ${shown}`);
      }
    }
  }
  return broken;
}

/** The repository folders whose files the docs name in prose and commands. */
const CODE_DIRS = "src|test|bench|scripts|migrations|bin|docs|examples";
/** Folders a build writes (.gitignore): a fresh clone has none of them until it builds. */
const BUILT = /^(?:src\/generated|src\/client\/dist|test\/contract\/generated)(?:\/|$)/;

/**
 * The files and folders of the repository a document names outside links (`src/core/bidi.ts`,
 * `node bench/store.mjs`) that do not exist: a renamed file leaves its old name in the prose,
 * and a reader goes looking for it. A name that is a pattern (`redteam-<area>-*.test.ts`,
 * `{id}`) or a route (`/__bench/empty`) is not one.
 *
 * @example
 * missingPaths(["docs/stats.md"], "/repo")
 * // [{ file: "docs/stats.md", line: 3, target: "src/core/funnels.ts", reason: "no file src/core/funnels.ts" }]
 */
export function missingPaths(
  paths,
  root = ROOT,
  { exists = existsSync, read = (p) => readFileSync(p, "utf8") } = {},
) {
  // A name runs to the next space, quote, bracket, comma, `#` or `?`; a pattern is left whole,
  // and skipped.
  const named = new RegExp(`(?<![\\w./-])(?:${CODE_DIRS})/[^\\s\`'"()\\[\\],;#?]*`, "g");
  const missing = [];
  for (const path of paths) {
    const markdown = read(resolve(root, path));
    for (const m of markdown.matchAll(named)) {
      const target = m[0].replace(/[.:/]+$/, "");
      if (/[<>*{}|]/.test(target) || BUILT.test(target) || exists(resolve(root, target))) continue;
      const line = markdown.slice(0, m.index).split("\n").length;
      missing.push({ file: path, line, target, reason: `no file ${target}` });
    }
  }
  return missing;
}

/**
 * The `npm run <script>` commands of the documents that package.json does not have, and the
 * benchmarks `npm run bench -- <name>…` names that bench/ does not have: a command a reader
 * copies should run.
 *
 * @example
 * unknownCommands(["README.md"], "/repo") // [{ file: "README.md", line: 40, target: "npm run check:docs", reason: "no script check:docs in package.json" }]
 */
export function unknownCommands(
  paths,
  root = ROOT,
  {
    read = (p) => readFileSync(p, "utf8"),
    scripts = Object.keys(JSON.parse(read(join(root, "package.json"))).scripts),
    exists = existsSync,
  } = {},
) {
  const unknown = [];
  for (const path of paths) {
    const markdown = read(resolve(root, path));
    const at = (index) => markdown.slice(0, index).split("\n").length;
    for (const m of markdown.matchAll(/\bnpm run ([\w:-]+)(?: -- ((?:[a-z]+ ?)+))?/g)) {
      const report = (target, reason) =>
        unknown.push({ file: path, line: at(m.index), target, reason });
      if (!scripts.includes(m[1])) report(m[0], `no script ${m[1]} in package.json`);
      if (m[1] !== "bench" || !m[2]) continue;
      for (const name of m[2].trim().split(" ")) {
        if (name !== "cpu" && !exists(join(root, "bench", `${name}.mjs`)))
          report(m[0], `no benchmark bench/${name}.mjs`);
      }
    }
  }
  return unknown;
}

function main() {
  // The changelog may name a file an entry removed: its names are history, its links are not.
  const prose = documentPaths().filter((p) => p !== "CHANGELOG.md");
  const broken = [
    ...brokenLinks(documentPaths()),
    ...missingPaths(prose),
    ...unknownCommands(prose),
  ];
  for (const b of broken)
    console.error(`check:links: ${b.file}:${b.line} (${b.target}): ${b.reason}`);
  console.error(
    `check:links: ${documentPaths().length} documents, ${broken.length} broken links or names`,
  );
  if (broken.length > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
