// What a code generator reads in /openapi.json: a stable operationId and a declared tag on every
// operation, who may call it (security), the errors it answers (the shared error body), a
// resolve answer a typed client can tell apart by `kind`, and request fields that stay optional
// when the server has a default. Whether the routes really behave as documented is checked in
// workerd (test/integration/contract-security.test.ts, and the fuzz in fuzz-api.test.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { PUBLISHABLE_SCOPES, SCOPES } from "../../src/store/keys";
import { call } from "./node-worker";

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  default?: unknown;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  discriminator?: { propertyName: string; mapping: Record<string, string> };
};
type Content = Record<string, { schema: Schema }>;
type Operation = {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: { content: Content };
  responses: Record<string, { content?: Content }>;
};
type Doc = {
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> };
};

let doc: Doc;
let operations: { key: string; path: string; method: string; op: Operation }[];
beforeAll(async () => {
  doc = (await (await call("/openapi.json")).json()) as Doc;
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      key: `${method.toUpperCase()} ${path}`,
      path,
      method,
      op,
    })),
  );
});

const deref = (s: Schema): Schema =>
  s.$ref ? deref(doc.components.schemas[s.$ref.split("/").pop()!]!) : s;

describe("operations", () => {
  it("each has a unique camelCase operationId", () => {
    expect(operations.length).toBeGreaterThan(50);
    const ids = operations.map(({ key, op }) => [key, op.operationId]);
    expect(ids.filter(([, id]) => !/^[a-z][a-zA-Z0-9]*$/.test(id ?? ""))).toEqual([]);
    const keysOf = new Map<string, string[]>();
    for (const [key, id] of ids) keysOf.set(id!, [...(keysOf.get(id!) ?? []), key!]);
    expect([...keysOf.values()].filter((keys) => keys.length > 1)).toEqual([]);
    // Stable names the README and clients use.
    expect(doc.paths["/v1/handoffs"]?.post?.operationId).toBe("createHandoff");
    expect(doc.paths["/v1/resolve"]?.post?.operationId).toBe("resolveLink");
    expect(doc.paths["/p/{code}"]?.get?.operationId).toBe("scanPoster");
  });

  it("each has a tag, and every tag is declared with a description", () => {
    const declared = new Set(doc.tags.map((t) => t.name));
    expect(doc.tags.every((t) => t.description.length > 0)).toBe(true);
    const untagged = operations.filter(({ op }) => !op.tags?.length).map(({ key }) => key);
    expect(untagged).toEqual([]);
    const unknown = operations.flatMap(({ key, op }) =>
      (op.tags ?? []).filter((t) => !declared.has(t)).map((t) => `${key}: ${t}`),
    );
    expect(unknown).toEqual([]);
    const used = new Set(operations.flatMap(({ op }) => op.tags ?? []));
    expect([...declared].filter((t) => !used.has(t))).toEqual([]);
  });
});

describe("security", () => {
  it("every operation states who may call it (public ones with an explicit empty list)", () => {
    const unstated = operations.filter(({ op }) => !Array.isArray(op.security));
    expect(unstated.map(({ key }) => key)).toEqual([]);
    expect(doc.paths["/healthz"]?.get?.security).toEqual([]);
    expect(doc.paths["/v1/resolve"]?.post?.security).toEqual([]);
  });

  it("names only declared schemes, and key scopes that exist (publishable: only theirs)", () => {
    const problems: string[] = [];
    for (const { key, op } of operations) {
      for (const requirement of op.security ?? []) {
        for (const [scheme, scopes] of Object.entries(requirement)) {
          if (!(scheme in doc.components.securitySchemes))
            problems.push(`${key}: ${scheme} undeclared`);
          const allowed: readonly string[] =
            scheme === "secretKey" ? SCOPES : scheme === "publishableKey" ? PUBLISHABLE_SCOPES : [];
          for (const scope of scopes)
            if (!allowed.includes(scope)) problems.push(`${key}: ${scheme} ${scope}`);
          if ((scheme === "secretKey" || scheme === "publishableKey") && scopes.length !== 1)
            problems.push(`${key}: ${scheme} should name its one scope`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("a publishable key is documented only on the routes that create", () => {
    const withPublishable = operations
      .filter(({ op }) => op.security?.some((r) => "publishableKey" in r))
      .map(({ key }) => key)
      .sort();
    expect(withPublishable).toEqual(["POST /v1/handoffs", "POST /v1/logins"]);
  });
});

describe("errors", () => {
  it("every error of the JSON API is the shared error body", () => {
    const problems: string[] = [];
    for (const { key, path, op } of operations) {
      if (!/^\/(v1|dashboard\/api)\//.test(path)) continue;
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        const ref = response.content?.["application/json"]?.schema.$ref;
        if (ref !== "#/components/schemas/Error") problems.push(`${key} ${status}`);
      }
    }
    expect(problems).toEqual([]);
    expect(doc.components.schemas.Error?.required).toEqual(["error", "message"]);
  });

  it("lists the statuses every route of its kind answers", () => {
    const problems: string[] = [];
    const expectStatus = (key: string, op: Operation, status: number, why: string) => {
      if (!(String(status) in op.responses)) problems.push(`${key}: ${status} (${why})`);
    };
    for (const { key, path, method, op } of operations) {
      const security = op.security ?? [];
      const needsCredential = security.length > 0 && security.every((r) => Object.keys(r).length);
      if (path.startsWith("/v1/")) expectStatus(key, op, 400, "unknown query parameter");
      if (path.startsWith("/v1/") && (method === "post" || method === "patch")) {
        expectStatus(key, op, 413, "body too large");
        expectStatus(key, op, 415, "body not JSON");
      }
      if (needsCredential) expectStatus(key, op, 401, "no credential");
      if (security.some((r) => "secretKey" in r || "adminKey" in r))
        expectStatus(key, op, 403, "wrong key or scope");
      if (security.some((r) => "publishableKey" in r)) expectStatus(key, op, 429, "rate limit");
      // (The dashboard's sign-in form is public and answers a wrong key in its body with 401.)
      if (path.startsWith("/v1/") && security.length === 0 && "401" in op.responses)
        problems.push(`${key}: 401 on a public route`);
    }
    expect(problems).toEqual([]);
  });
});

describe("POST /v1/resolve", () => {
  it("answers 200 as a union discriminated by kind, one schema per kind", () => {
    const ok = doc.paths["/v1/resolve"]!.post!.responses["200"]!.content!["application/json"]!;
    const union = deref(ok.schema);
    expect(union.discriminator?.propertyName).toBe("kind");
    const mapping = union.discriminator!.mapping;
    expect(Object.keys(mapping).sort()).toEqual(["handoff", "poster"]);
    expect(union.oneOf?.map((s) => s.$ref).sort()).toEqual(Object.values(mapping).sort());
    for (const [kind, ref] of Object.entries(mapping)) {
      const variant = deref({ $ref: ref });
      expect(variant.properties?.kind?.enum, kind).toEqual([kind]);
      expect(variant.required, kind).toContain("kind");
    }
  });
});

describe("request bodies", () => {
  /** Fields a client may leave out that carry a `default`: generators read them as required. */
  function defaultsOnOptional(schema: Schema, at: string, out: string[], seen = new Set<Schema>()) {
    const s = deref(schema);
    if (seen.has(s)) return out;
    seen.add(s);
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      const field = deref(prop);
      if (field.default !== undefined && !s.required?.includes(name)) out.push(`${at}.${name}`);
      defaultsOnOptional(prop, `${at}.${name}`, out, seen);
    }
    for (const part of [...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])])
      defaultsOnOptional(part, at, out, seen);
    if (s.items) defaultsOnOptional(s.items, `${at}[]`, out, seen);
    return out;
  }

  it("leave server-defaulted fields optional, with no `default` a generator reads as required", () => {
    const found = operations.flatMap(({ key, op }) =>
      Object.values(op.requestBody?.content ?? {}).flatMap((c) =>
        defaultsOnOptional(c.schema, key, []),
      ),
    );
    expect(found).toEqual([]);
    const create = deref(
      doc.paths["/v1/handoffs"]!.post!.requestBody!.content["application/json"]!.schema,
    );
    expect(create.properties?.confirm?.enum).toEqual(["none", "pc"]);
    expect(create.required ?? []).not.toContain("confirm");
  });
});
