// The API reference's words (src/routes/reference/) against the document they fill: every entry
// names an operation, a parameter or a field the routes have, no operation or place that had
// words before goes without them, and the route modules (the Worker's main bundle) carry none.
import { readdirSync, readFileSync } from "node:fs";
import { zodToOpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { beforeAll, describe, expect, it } from "vitest";
import { placeWords } from "../../src/routes/openapi-words";
import { REFERENCE, SECURITY_SCHEMES, TAGS } from "../../src/routes/reference";
import { call, createBridge } from "./node-worker";

type Operation = { summary?: string; tags?: string[] };
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { description?: string }> };
};

/**
 * Where the document has words: `"<METHOD> <path> <key>…"` for an operation's, `"<key>…"` for
 * the rest, a parameter named `<in>:<name>`, down to its `summary`, `description` or `example`.
 */
function documentedPlaces(doc: object): string[] {
  const places: string[] = [];
  const label = (v: unknown, i: number) =>
    v && typeof v === "object" && "name" in v
      ? `${(v as { in?: string }).in ?? ""}:${(v as { name: string }).name}`
      : String(i);
  const walk = (value: unknown, at: string[]) => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, [...at, label(v, i)]);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    for (const [key, v] of Object.entries(value)) {
      // A field named `description` is a schema, not words.
      const words = ["summary", "description", "example"].includes(key);
      if (words && at.at(-1) !== "properties" && (key === "example" || typeof v === "string")) {
        places.push([...at, key].join(" "));
      }
      walk(v, [...at, key]);
    }
  };
  const { paths, servers: _servers, ...rest } = doc as Doc & { servers: unknown };
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) walk(op, [`${method.toUpperCase()} ${path}`]);
  }
  walk(rest, []);
  return places.sort();
}

/** The places with words when the words moved to src/routes/reference/ (one per line). */
const BEFORE: string[] = JSON.parse(
  readFileSync(new URL("./openapi-reference.places.json", import.meta.url), "utf8"),
);

let doc: Doc;
beforeAll(async () => {
  doc = (await (await call("/openapi.json")).json()) as Doc;
});

describe("the reference's entries", () => {
  it("each names an operation, parameter, field or schema the routes have, with one set of words", () => {
    const { app } = createBridge({
      env: "test",
      adminKey: "qb_admin_unit_test_key_0123456789",
      signingKeys: "K1:unit-test-signing-key-0123456789abcdef",
    });
    const read = zodToOpenAPIRegistry.get.bind(zodToOpenAPIRegistry);
    const { words, unplaced } = placeWords(app.openAPIRegistry.definitions, REFERENCE.words, read);
    expect(unplaced).toEqual([]);
    expect(words.size).toBeGreaterThan(100);
  });

  it("a stale entry is named: a field, a path and a schema that do not exist", () => {
    const { app } = createBridge({
      env: "test",
      adminKey: "qb_admin_unit_test_key_0123456789",
      signingKeys: "K1:unit-test-signing-key-0123456789abcdef",
    });
    const read = zodToOpenAPIRegistry.get.bind(zodToOpenAPIRegistry);
    const { unplaced } = placeWords(
      app.openAPIRegistry.definitions,
      {
        operations: {
          "POST /v1/handoffs/{id}/approve": { summary: "s", body: { wacth: { description: "d" } } },
          "GET /v1/handoff/{id}": { summary: "s" },
        },
        schemas: {
          Handoff: { fields: { expires_at: { description: "Unix ms" }, scaned_at: {} } },
          Handof: { description: "d" },
        },
      },
      read,
    );
    expect(unplaced).toEqual([
      "schema Handoff.scaned_at: no such field",
      "schema Handof: no schema has this name",
      "POST /v1/handoffs/{id}/approve body.wacth: no such field",
      "GET /v1/handoff/{id}: no such operation",
    ]);
  });

  it("two fields that share one schema object cannot be given different words", () => {
    const text = z.string().nullable();
    const Pair = z.object({ origin: text, referrer: text }).openapi("Pair");
    const app = new OpenAPIHono();
    const ok = { 200: { description: "ok", content: { "application/json": { schema: Pair } } } };
    app.openapi(createRoute({ method: "get", path: "/pair", responses: ok }), (c) =>
      c.json({ origin: null, referrer: null }, 200),
    );
    const read = zodToOpenAPIRegistry.get.bind(zodToOpenAPIRegistry);
    const fields = { origin: { description: "The page's origin" }, referrer: { description: "R" } };
    const { unplaced } = placeWords(
      app.openAPIRegistry.definitions,
      { schemas: { Pair: { fields } } },
      read,
    );
    expect(unplaced).toEqual([
      "schema Pair.referrer: the schema is shared with a place whose words differ",
    ]);
  });

  it("names every security scheme and tag the document declares", () => {
    expect(Object.keys(SECURITY_SCHEMES).sort()).toEqual(
      Object.keys(doc.components.securitySchemes).sort(),
    );
    const used = new Set(Object.values(doc.paths).flatMap((i) => Object.values(i)));
    const tags = new Set([...used].flatMap((op) => op.tags ?? []));
    expect(TAGS.map((t) => t.name).sort()).toEqual([...tags].sort());
  });
});

describe("the document's words", () => {
  it("every operation has a summary", () => {
    const bare = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => !op.summary?.trim())
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(bare).toEqual([]);
  });

  it("every place that had words still has them (add places freely; remove one here knowingly)", () => {
    const now = new Set(documentedPlaces(doc));
    expect(BEFORE.length).toBeGreaterThan(700);
    expect(BEFORE.filter((place) => !now.has(place))).toEqual([]);
  });
});

describe("the route modules (the Worker's main bundle)", () => {
  it("carry no summary, description or example of the reference", () => {
    const dir = new URL("../../src/routes/", import.meta.url);
    const found: string[] = [];
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".ts"))) {
      const source = readFileSync(new URL(name, dir), "utf8");
      // `.openapi({...})` with words, or a route's `summary:`; a response's `description` stays
      // (createRoute requires it).
      for (const m of source.matchAll(
        /\.openapi\((?:"\w+",\s*)?\{[^}]*\b(description|example)s?:/g,
      )) {
        found.push(`${name}: .openapi({${m[1]}})`);
      }
      for (const _ of source.matchAll(/^\s*summary:/gm)) found.push(`${name}: summary`);
    }
    expect(found).toEqual([]);
  });
});
