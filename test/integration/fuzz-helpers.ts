// Helpers for fuzz-api.test.ts: real fixtures to get past authentication, arbitraries for
// hostile strings, wrong-typed values, malformed bodies, queries and Authorization headers, and
// the check every answer must pass.
import fc from "fast-check";
import { expect } from "vitest";
import { expectDocumentedStatus } from "./contract-helpers";
import { ADMIN_KEY, BASE, call, mintSecretKey } from "./helpers";

/**
 * What the fuzz needs to exist: a secret key with every scope and a revoked one, a store, a
 * poster (with a campaign and an attribution session), a handoff, a webhook, a dashboard session.
 */
export async function makeFixtures() {
  const ok = async <T>(res: Promise<Response>): Promise<T> => {
    const r = await res;
    if (r.status !== 201 && r.status !== 200)
      throw new Error(`fixture: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  const sk = await mintSecretKey();
  const post = (path: string, json: unknown, key = sk) => call(path, { method: "POST", key, json });
  // Revoked before its first use, so the per-isolate key cache never saw it active.
  const gone = await ok<{ id: string; key: string }>(
    post("/v1/keys", { name: "fuzz", kind: "secret", scopes: ["posters:write"] }, ADMIN_KEY),
  );
  await call(`/v1/keys/${gone.id}`, { method: "DELETE", key: ADMIN_KEY });
  const store = await ok<{ id: string }>(post("/v1/stores", { name: "Fuzz" }));
  const poster = await ok<{ id: string; code: string; url: string; campaign_id: string }>(
    post("/v1/posters", { name: "Fuzz", path: "/fuzz", store_id: store.id, campaign: "Fuzz" }),
  );
  const resolved = await ok<{ attribution: { session: string } }>(
    call("/v1/resolve", { method: "POST", json: { url: poster.url } }),
  );
  const handoff = await ok<{ id: string; url: string; watch: string }>(
    post("/v1/handoffs", { confirm: "pc", payload: { a: 1 } }),
  );
  const webhook = await ok<{ id: string }>(
    post("/v1/webhooks", { url: "https://hooks.example/fuzz", events: ["conversion"] }),
  );
  const login = await call("/dashboard/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
    body: new URLSearchParams({ key: sk }).toString(),
    redirect: "manual",
  });
  return {
    sk,
    revoked: gone.key,
    storeId: store.id,
    poster,
    session: resolved.attribution.session,
    handoff,
    webhookId: webhook.id,
    cookie: login.headers.get("set-cookie")!.split(";")[0]!,
  };
}

/** Strings that break parsers: numbers in disguise, bad escapes, traversal, control characters. */
const NASTY = [
  ...["", " ", "null", "true", "NaN", "Infinity", "-Infinity", "1e309", "-1", "-0", "0x1F"],
  ...["+5", "5.0", "9007199254740993", "99999999999999999999999", "%", "%zz", "%E0%A4%A"],
  ...["%00", "%2F..%2F", "..", "../../v1/keys", "//evil.example", "\\", "\u0000", "\r\n"],
  ...["\u0007\b\f\u001b", "\u2028\u2029", "\ud800", "\uFEFF", "\u202Etxt", "😀".repeat(40)],
  ...["İı", "__proto__", "constructor", "<script>alert(1)</script>", "'; DROP TABLE posters; --"],
  ...["2026-02-30", "0000-01-01", "9999-12-31", "+275760-09-13T00:00:00Z", "st_000000000000"],
  ...["2026-01-01T00:00:00+99:99", "7K2M9Q", "x".repeat(3000)],
];

/** Numbers as text: negative, zero, fractional, huge, exponent forms. */
const numberText = fc.oneof(
  fc.constantFrom("-1", "0", "1.5", "1e300", "-1e-300", "0.0", "1e2", "0b1", "1_0", "٣"),
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.double().map(String),
);

/** A hostile string: a troublemaker, a number as text, random text (any code point), a long one. */
export const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: numberText },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 20_000 }).map((n) => "é".repeat(n)) },
);

/** A value of any JSON type, usually the wrong one for the field it lands in. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.constantFrom(-1, -0, 0, 0.5, 1e21, 2 ** 53 + 2, -(2 ** 63), Number.MAX_VALUE, 5e-324),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(nastyString, { maxLength: 4 }),
  fc.dictionary(nastyString, nastyString, { maxKeys: 4 }),
);

/** A request body as sent: its text (or none) and its Content-Type (none when undefined). */
export interface RawBody {
  text: string | null;
  type?: string;
}

const JSON_TYPE = "application/json";
const asJson = (v: unknown): RawBody => ({ text: JSON.stringify(v) ?? "null", type: JSON_TYPE });
const raw = (text: string): RawBody => ({ text, type: JSON_TYPE });

/** JSON nested `depth` levels deep inside `field`, as arrays or as objects. */
function deep(field: string, depth: number, objects: boolean): RawBody {
  const f = JSON.stringify(field);
  if (objects) return raw(`{${f}:${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`);
  return raw(`{${f}:${"[".repeat(depth)}${"]".repeat(depth)}}`);
}

/**
 * Malformed bodies for a route whose valid body is `valid`: the valid body with one field made
 * hostile, every field of the wrong type, any JSON at all, broken JSON, the wrong or no
 * Content-Type, number literals no double holds, deep nesting, an oversize field.
 */
export function bodyArb(valid: Record<string, unknown>): fc.Arbitrary<RawBody> {
  const fields = [...Object.keys(valid), "unexpected"];
  const field = fc.constantFrom(...fields);
  const everyField = Object.fromEntries(fields.map((f) => [f, wrongValue]));
  const bigNumber = fc.constantFrom("1e999", "-1e999", "-0", "1E400", "1234567890123456789012345");
  const broken = ["", "{", "[1,]", "{'a':1}", '{"a":1}{"b":2}', "\uFEFF{}", "nul", '"\\ud800"'];
  const otherType = fc.constantFrom("text/plain", "application/x-www-form-urlencoded", undefined);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.tuple(field, wrongValue).map(([f, v]) => asJson({ ...valid, [f]: v })),
    },
    { weight: 3, arbitrary: fc.record(everyField, { requiredKeys: [] }).map(asJson) },
    fc.jsonValue().map(asJson),
    fc.anything().map(asJson),
    fc.tuple(field, bigNumber).map(([f, n]) => raw(`{${JSON.stringify(f)}:${n}}`)),
    fc.constantFrom(...broken).map(raw),
    fc.string({ unit: "binary", maxLength: 50 }).map(raw),
    fc
      .tuple(otherType, fc.constantFrom(JSON.stringify(valid), "a=1&b=2"))
      .map(([type, text]) => ({ text, type })),
    fc.constantFrom<RawBody>(
      { text: null },
      { text: null, type: JSON_TYPE },
      { text: "{}", type: "application/jsonx" },
    ),
    fc
      .tuple(field, fc.integer({ min: 1000, max: 30_000 }), fc.boolean())
      .map(([f, d, o]) => deep(f, o ? d >> 2 : d, o)),
    field.map((f) => asJson({ ...valid, [f]: "x".repeat(70 * 1024) })),
  );
}

/**
 * A body whose `field` is an object of `pairs`, written out by hand (in an object literal a
 * "__proto__" key would not be an own key), and the entries that object holds, sorted.
 */
export function recordBody(base: object, field: string, pairs: [string, unknown][]) {
  const record = `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)}}`;
  const text = JSON.stringify({ ...base, [field]: 0 }).replace(/0}$/, () => `${record}}`);
  const sent = entriesByKey(JSON.parse(record) as object);
  return { body: { text, type: JSON_TYPE } as RawBody, sent };
}

/**
 * An object's own entries sorted by key. (A plain `.sort()` turns each entry into a string,
 * which throws for a value like `{"toString": []}`.)
 */
export function entriesByKey(o: object): [string, unknown][] {
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Send a raw body (no Content-Type header at all when `type` is undefined). */
export function send(
  method: string,
  path: string,
  body: RawBody,
  headers: Record<string, string> = {},
) {
  const h = { ...headers, ...(body.type === undefined ? {} : { "content-type": body.type }) };
  const bytes = body.text === null ? undefined : new TextEncoder().encode(body.text);
  return call(path, { method, headers: h, body: bytes, redirect: "manual" });
}

export const showBody = (b: RawBody) =>
  `${b.type ?? "(no type)"} ${(b.text ?? "(none)").slice(0, 120)}`;

const encoded = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "\ufffd"));

/** A path segment: raw (bad %-escapes, "..", unicode, very long) or properly escaped. */
export const segment = fc.oneof(nastyString, nastyString.map(encoded));

/**
 * Query strings: the valid query with one value made hostile (a number in disguise more often
 * where a number belongs), or hostile values for random names, sometimes repeated; each value
 * escaped or sent raw.
 */
export function queryArb(valid: Record<string, string>): fc.Arbitrary<string> {
  const values = (hostile: fc.Arbitrary<string>) =>
    fc.oneof(
      hostile.map(encoded),
      hostile.map((s) => s.replace(/[#&]/g, "")),
    );
  const anyValue = values(nastyString);
  const numeric = values(fc.oneof({ weight: 3, arbitrary: numberText }, nastyString));
  const names = Object.keys(valid);
  const join = (o: [string, string][]) => o.map(([k, v]) => `${k}=${v}`).join("&");
  const one = fc
    .constantFrom(...names)
    .chain((k) =>
      (/^\d+$/.test(valid[k]!) ? numeric : anyValue).map((v) =>
        join(names.map((n) => [n, n === k ? v : encodeURIComponent(valid[n]!)])),
      ),
    );
  const many = fc.array(fc.tuple(fc.constantFrom(...names), anyValue), { maxLength: 4 });
  return fc.oneof({ weight: 3, arbitrary: one }, many.map(join));
}

/** Authorization headers that must never authenticate: missing, malformed, wrong scheme or key. */
export function badAuthArb(key: string, revoked: string): fc.Arbitrary<string | null> {
  const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
  const text = fc.string({ unit: printable, maxLength: 60 });
  const token = text.map((s) => s.replace(/\s/g, ""));
  return fc.oneof(
    fc.constantFrom(
      null,
      "",
      "Bearer",
      "Bearer ",
      key,
      `Token ${key}`,
      `Basic ${btoa(`u:${key}`)}`,
    ),
    fc.constantFrom(`Bearer ${key} extra`, `Bearer ${key}x`, `Bearer ${key.slice(0, -1)}`),
    fc.constantFrom(`Bearer ${key.toUpperCase()}`, `Bearer ${revoked}`, `Bearer ${ADMIN_KEY}x`),
    fc.constantFrom("Bearer qb_sk_", "Bearer qb_pk_", `Bearer=${key}`, `Bearer\t${key}\t${key}`),
    text,
    token.map((s) => `Bearer ${s || "x"}`),
    token.map((s) => `Bearer qb_sk_${s}`),
  );
}

/**
 * The rule under test: never a 5xx, an API error (a 4xx under /v1) is JSON with a string
 * `error` and `message`, and the status is one the document lists for the operation serving
 * `route` (`[method, path]`). Returns the status.
 */
export async function expectSaneAnswer(
  res: Response,
  what: string,
  api: boolean,
  route: [method: string, path: string],
): Promise<number> {
  const text = new TextDecoder().decode(await res.arrayBuffer());
  const where = `${what.slice(0, 300)} → ${res.status} ${text.slice(0, 300)}`;
  expect(res.status, where).toBeLessThan(500);
  await expectDocumentedStatus(route[0], route[1], res.status);
  if (api && res.status >= 400) {
    expect(res.headers.get("content-type"), where).toMatch(/^application\/json\b/);
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    expect(typeof body.error, where).toBe("string");
    expect(typeof body.message, where).toBe("string");
  }
  return res.status;
}
