// The audit half of `npm run check:examples` (scripts/check-examples.mjs): which exports an
// entry point's declarations reach, and whether each carries the JSDoc and examples the rules
// there ask for; and the TypeScript blocks of the Markdown docs marked to be checked like them.
// Compiling the examples is check-examples.mjs's.
import ts from "typescript";

/**
 * The JSDoc tags the exports may carry. Any other is most likely an `@` at the start of a word in
 * a description or an example (`@cloudflare/workers-types`), which ends that text there.
 */
const KNOWN_TAGS = new Set([
  "example",
  "param",
  "returns",
  "throws",
  "see",
  "deprecated",
  "default",
  "defaultValue",
  "remarks",
  "typeParam",
  "template",
  "since",
]);

/**
 * Split an `@example` text: its language (`html` for a fence saying so or markup, else `ts`)
 * and the code without fences or `<caption>`.
 *
 * @example
 * parseExample("```html\n<qr-bridge></qr-bridge>\n```") // { lang: "html", code: "<qr-bridge></qr-bridge>" }
 */
export function parseExample(text) {
  let code = text.replace(/^\s*<caption>[\s\S]*?<\/caption>\s*/, "");
  let lang = "ts";
  const fence = /^\s*```(\w*)\n([\s\S]*?)\n?```\s*$/.exec(code);
  if (fence) {
    lang = /^(html|xml|svg)$/i.test(fence[1]) ? "html" : "ts";
    code = fence[2];
  } else if (/^\s*<[a-z!]/i.test(code)) lang = "html";
  return { lang, code: code.replace(/\s+$/, "") };
}

/** Whether an export reaches its target only through `export type` / `export { type X }`. */
function typeOnly(symbol, checker) {
  let s = symbol;
  for (let hops = 0; s && s.flags & ts.SymbolFlags.Alias && hops < 20; hops++) {
    for (const d of s.declarations ?? []) {
      if (ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly)) return true;
      if (ts.isImportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly)) return true;
    }
    s = checker.getImmediateAliasedSymbol(s);
  }
  return false;
}

const VALUE = ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Variable;

/**
 * Every export of each entry point with its kind (`value` or `type`), description and examples,
 * and the problems of rule 1 (no JSDoc, no `@example`, an example that never names its export).
 *
 * @example
 * const { exports, problems } = auditExports(program, entryPoints(pkg, ROOT));
 */
export function auditExports(program, entries) {
  const checker = program.getTypeChecker();
  const exports = [];
  const problems = [];
  for (const entry of entries) {
    const file = program.getSourceFile(entry.types);
    const module = file && checker.getSymbolAtLocation(file);
    if (!module) {
      problems.push({ specifier: entry.specifier, name: "*", message: `no ${entry.types}` });
      continue;
    }
    for (const symbol of checker.getExportsOfModule(module)) {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const kind = target.flags & VALUE && !typeOnly(symbol, checker) ? "value" : "type";
      const description = ts.displayPartsToString(target.getDocumentationComment(checker)).trim();
      const tags = target.getJsDocTags(checker);
      const examples = tags
        .filter((tag) => tag.name === "example")
        .map((tag) => parseExample(ts.displayPartsToString(tag.text ?? [])));
      const item = { specifier: entry.specifier, name: symbol.name, kind, description, examples };
      exports.push(item);
      const flag = (message) =>
        problems.push({ specifier: entry.specifier, name: item.name, message });
      if (!description && examples.length === 0) flag("no JSDoc");
      else if (!description) flag("a JSDoc with no description");
      if (kind === "value" && examples.length === 0) flag("no @example");
      for (const tag of tags.filter((t) => !KNOWN_TAGS.has(t.name))) {
        flag(`unknown JSDoc tag @${tag.name} (an \`@\` starting a word ends the text before it)`);
      }
      examples.forEach((ex, i) => {
        const named = item.name === "default" || new RegExp(`\\b${item.name}\\b`).test(ex.code);
        if (ex.lang === "ts" && !named) flag(`@example ${i + 1} never names ${item.name}`);
      });
    }
  }
  return { exports, problems };
}

/**
 * The ```ts blocks of a Markdown document that follow a `<!-- check:examples <entry> -->` line,
 * as examples of that entry point (their free identifiers are that entry's), named by the
 * document and the block's first line. A block indented under a list item, with its marker
 * indented the same, is checked with that indent taken off.
 *
 * @example
 * markedBlocks(readFileSync("docs/clients.md", "utf8"), "docs/clients.md")
 * // [{ specifier: "qrbridge/client", name: "docs/clients.md:128", examples: [{ lang: "ts", code }] }]
 */
export function markedBlocks(markdown, path) {
  const blocks = [];
  const marked = /^([ \t]*)<!-- check:examples (\S+) -->\n\1```ts\n([\s\S]*?)\n\1```/gm;
  for (const m of markdown.matchAll(marked)) {
    const line = markdown.slice(0, m.index).split("\n").length + 2;
    const indent = m[1];
    const code = m[3]
      .split("\n")
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
      .join("\n");
    blocks.push({
      specifier: m[2],
      name: `${path}:${line}`,
      kind: "document",
      description: "",
      examples: [{ lang: "ts", code }],
    });
  }
  return blocks;
}
