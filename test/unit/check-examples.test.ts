// scripts/check-examples.mjs on a package of its own: declaration files held in memory, audited
// and their examples compiled as the real check does for qrbridge's entry points.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkExamples, markedBlocks, parseExample } from "../../scripts/check-examples.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DTS = join(ROOT, ".check-examples-fixture", "shapes.d.ts");

// A made-up package `shapes` with one export of every case the check tells apart.
const SHAPES = `
/**
 * The area of a square.
 *
 * @example
 * const a: number = area(3); // no import: the check adds the one a user writes
 */
export declare function area(side: number): number;

/** Twice a number, documented but never shown. */
export declare function twice(n: number): number;

export declare const UNIT: "cm";

/**
 * A label for a shape.
 *
 * @example
 * const text: number = label("square"); // a label is a string: this does not compile
 */
export declare function label(name: string): string;

/**
 * The perimeter of a square of \`unit\` sides.
 *
 * @example
 * perimeter(unit);
 */
export declare function perimeter(side: number): number;

/**
 * Scale a side by \`factor\`.
 *
 * @example
 * scale(side, 2); // \`side\` is declared for the examples of this package
 */
export declare function scale(side: number, factor: number): number;

/**
 * The shape as an element.
 *
 * @example
 * \`\`\`html
 * <shape-box side="3"></shape-box>
 * \`\`\`
 */
export declare class ShapeBox {}

/**
 * The version.
 *
 * @example
 * // as @shapes/core prints it
 * const v: string = VERSION;
 */
export declare const VERSION: string;

/** A side length, in UNIT. */
export type Side = number;

export interface Square {
  side: Side;
}
`;

const result = checkExamples({
  root: ROOT,
  entries: [{ specifier: "shapes", types: DTS }],
  virtual: new Map([[DTS, SHAPES]]),
  free: { "*": {}, shapes: { side: "declare const side: number;" } },
});
const problemsOf = (name: string) =>
  result.problems.filter((p) => p.name === name).map((p) => p.message);

describe("check-examples: the audit", () => {
  it("passes a documented function whose example compiles, its import added", () => {
    expect(problemsOf("area")).toEqual([]);
    const checked = result.checked.find((c) => c.name === "area");
    expect(checked?.text).toContain('import { area } from "shapes";');
  });

  it("flags a function with a description and no @example", () => {
    expect(problemsOf("twice")).toEqual(["no @example"]);
  });

  it("flags a constant with no JSDoc at all", () => {
    expect(problemsOf("UNIT")).toEqual(["no JSDoc", "no @example"]);
  });

  it("asks a type for a description, not an example", () => {
    expect(problemsOf("Side")).toEqual([]);
    expect(problemsOf("Square")).toEqual(["no JSDoc"]);
    const kinds = Object.fromEntries(result.exports.map((e) => [e.name, e.kind]));
    expect(kinds).toMatchObject({ Side: "type", Square: "type", area: "value", ShapeBox: "value" });
  });

  it("flags an example cut short by an `@` that starts a word", () => {
    expect(problemsOf("VERSION")).toEqual([
      "unknown JSDoc tag @shapes (an `@` starting a word ends the text before it)",
      "@example 1 never names VERSION",
    ]);
  });
});

describe("check-examples: the examples", () => {
  it("reports a broken example with its export's name and its own line", () => {
    const messages = problemsOf("label");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(
      /^@example 1, line 1: Type 'string' is not assignable to type 'number'/,
    );
  });

  it("reports a free identifier nobody declares, by name", () => {
    expect(problemsOf("perimeter")).toEqual([
      expect.stringMatching(/^@example 1 uses `unit`, which no entry point exports/),
    ]);
  });

  it("declares the free identifiers the entry point's examples may assume", () => {
    expect(problemsOf("scale")).toEqual([]);
    const checked = result.checked.find((c) => c.name === "scale");
    expect(checked?.text).toContain("declare const side: number;");
  });

  it("skips an HTML example and lists it", () => {
    expect(result.skipped).toEqual([
      { specifier: "shapes", name: "ShapeBox", index: 1, lang: "html" },
    ]);
    expect(result.checked.map((c) => c.name)).not.toContain("ShapeBox");
    expect(problemsOf("ShapeBox")).toEqual([]);
  });
});

describe("parseExample", () => {
  it("takes the code out of a fence and a caption", () => {
    expect(parseExample("<caption>Add</caption>\n```ts\nadd(1, 2);\n```")).toEqual({
      lang: "ts",
      code: "add(1, 2);",
    });
    expect(parseExample('<qr-bridge key="qb_pk_…"></qr-bridge>').lang).toBe("html");
    expect(parseExample("const a = 1 < 2;").lang).toBe("ts");
  });
});

describe("check-examples: marked blocks of the docs", () => {
  const doc = [
    "# Shapes",
    "<!-- check:examples shapes -->",
    "```ts",
    "const a: number = area(side);",
    "```",
    "",
    "<!-- check:examples shapes -->",
    "```ts",
    "const b: string = area(2);",
    "```",
    "",
    "- In a list item, indented:",
    "",
    "  <!-- check:examples shapes -->",
    "  ```ts",
    "  const d: string = area(2);",
    "  ```",
    "",
    "```ts",
    "const c: string = area(2); // not marked: prose, never compiled",
    "```",
  ].join("\n");
  const documents = markedBlocks(doc, "docs/shapes.md");
  const checked = checkExamples({
    root: ROOT,
    entries: [{ specifier: "shapes", types: DTS }],
    virtual: new Map([[DTS, SHAPES]]),
    free: { "*": {}, shapes: { side: "declare const side: number;" } },
    documents,
  });

  it("takes only the marked ts blocks, named by their document and first line", () => {
    expect(documents.map((d) => d.name)).toEqual([
      "docs/shapes.md:4",
      "docs/shapes.md:9",
      "docs/shapes.md:16",
    ]);
    expect(documents[0]?.specifier).toBe("shapes");
    expect(documents[2]?.examples[0]?.code).toBe("const d: string = area(2);");
  });

  it("compiles them as examples of the entry they name: the broken one is reported", () => {
    const messages = (name: string) =>
      checked.problems.filter((p) => p.name === name).map((p) => p.message);
    expect(messages("docs/shapes.md:4")).toEqual([]);
    expect(messages("docs/shapes.md:9")).toEqual([
      expect.stringMatching(
        /^@example 1, line 1: Type 'number' is not assignable to type 'string'/,
      ),
    ]);
    expect(messages("docs/shapes.md:16")).toEqual([
      expect.stringMatching(
        /^@example 1, line 1: Type 'number' is not assignable to type 'string'/,
      ),
    ]);
  });
});
