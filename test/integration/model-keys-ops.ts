// The operations of model-keys.test.ts and their arbitraries: what a random key lifecycle is
// made of, and the probes (one cheap operation per permission) a key is tried on.
import fc from "fast-check";
import { BASE } from "./helpers";
import {
  type KeyPatch,
  type MintInput,
  type ModelKey,
  type Probe,
  PUBLISHABLE_SCOPES,
  SCOPES,
  type Scope,
} from "./model-keys-model";

export const PROBES: (Probe & { method: string; path: string; json?: unknown })[] = [
  {
    name: "create a handoff",
    scope: "handoffs:write",
    create: true,
    ok: 201,
    method: "POST",
    path: "/v1/handoffs",
    json: {},
  },
  {
    name: "create a poster",
    scope: "posters:write",
    ok: 201,
    method: "POST",
    path: "/v1/posters",
    json: { name: "model keys", path: "/menu" },
  },
  {
    name: "read the funnel",
    scope: "stats:read",
    ok: 200,
    method: "GET",
    path: "/v1/stats/funnel",
  },
  { name: "list webhooks", scope: "webhooks:write", ok: 200, method: "GET", path: "/v1/webhooks" },
  {
    name: "create a login",
    scope: "logins:write",
    create: true,
    ok: 201,
    method: "POST",
    path: "/v1/logins",
    json: { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" },
  },
  { name: "list keys", scope: "admin", ok: 200, method: "GET", path: "/v1/keys" },
  // A link of no handoff: past the key check, the answer is the link's 400. A server's key
  // holding events:write (or no key at all) gets there; any other key is refused first.
  {
    name: "report an event",
    scope: "events:write",
    optional: true,
    ok: 400,
    okError: "invalid_token",
    method: "POST",
    path: "/v1/events",
    json: { url: `${BASE}/h/0123456789ABCDEFGHJKMNPQRSTV`, type: "app_open" },
  },
];
/** The probes a console session may reach (`/dashboard/api/v1/…`; GETs need no CSRF token). */
export const SESSION_PROBES = PROBES.filter((p) => p.method === "GET");

export const ORIGINS = ["https://shop.example", "https://m.shop.example", "http://localhost:8787"];
/** Where a request may come from: nowhere, a key's origins, or a site no key allows. */
export const SENT_ORIGINS = [null, ...ORIGINS, "https://evil.example"];

/**
 * A key or handoff of the lifecycle by index: from the end when negative (the newest, where a
 * roll's successor is), else modulo how many there are.
 */
export const indexArb = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: -3, max: -1 }) },
  { weight: 1, arbitrary: fc.nat() },
);

/** Who sends: a key of the lifecycle by index ({@link indexArb}), or another. */
export type Pick =
  | { c: "none" }
  | { c: "admin" }
  | { c: "forged"; prefix: string }
  | { c: "key"; k: number };

/** Where a change to a key is made: through the API here, or in another isolate. */
export type Where = "api" | "elsewhere";

/**
 * A change to key `k`, made `where`; the key is tried on `probe` from `origin` right before
 * (so this isolate remembers its lookup) and right after (the change must show at once when
 * this isolate made it).
 */
export interface Change {
  where: Where;
  k: number;
  probe: number;
  origin: number;
  /** Then move the clock 30 s on and try it again: every isolate has seen the change. */
  wait: boolean;
}

export type Op =
  | {
      op: "mint";
      input: Omit<MintInput, "name" | "store_id" | "expires_at">;
      /** 0, 1: the lifecycle's stores; 2: a store that does not exist. */
      store?: number;
      /** From now (ms); ≤ 0 is refused. */
      expiresIn?: number;
    }
  | ({ op: "roll"; expiresIn?: number } & Change)
  /** `narrow`: the patch's scopes are the key's but one, and the probe is the one that needs it. */
  | ({ op: "edit"; patch: KeyPatch; narrow: boolean } & Change)
  | ({ op: "revoke" } & Change)
  | { op: "deleteStore"; s: number }
  | { op: "clock"; by: number }
  /** To the `nth` end ahead (a key's, a session's, a remembered lookup's), `offset` ms off. */
  | { op: "clockToEnd"; nth: number; offset: number; probe: number }
  | { op: "use"; probe: number; cred: Pick; origin: number }
  | { op: "readHandoff"; h: number; cred: Pick }
  | { op: "signIn"; cred: Pick }
  /** The admin's `GET /v1/keys`: every key of the lifecycle as the model holds it. */
  | { op: "list" }
  | { op: "session"; s: number; probe: number };

const scopesArb = fc.oneof(
  fc.subarray([...SCOPES], { minLength: 1 }),
  fc.subarray(PUBLISHABLE_SCOPES, { minLength: 1 }),
  fc.constant<Scope[]>(["stats:read"]),
);
const whereArb = fc.constantFrom<Where>("api", "elsewhere");
/** A roll's grace (seconds): 0 to 7 days, and the first values out of range. */
export const graceArb = fc.option(
  fc.constantFrom(0, 1, 30, 60, 3_600, 86_400, 604_800, -1, 604_801),
  { nil: undefined },
);
const probeArb = fc.nat(PROBES.length - 1);
const originArb = fc.nat(SENT_ORIGINS.length - 1);
const change = {
  ...{ where: whereArb, k: indexArb, probe: probeArb, origin: originArb },
  wait: fc.boolean(),
};
const pickArb: fc.Arbitrary<Pick> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ c: "none" as const }) },
  { weight: 1, arbitrary: fc.constant({ c: "admin" as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("qb_sk_", "qb_pk_", "")
      .map((prefix) => ({ c: "forged" as const, prefix })),
  },
  { weight: 6, arbitrary: indexArb.map((k) => ({ c: "key" as const, k })) },
);
const mintArb = fc.record(
  {
    op: fc.constant("mint" as const),
    input: fc.record(
      {
        kind: fc.constantFrom("secret" as const, "publishable" as const),
        scopes: scopesArb,
        origins: fc.subarray(ORIGINS),
      },
      { requiredKeys: ["kind", "scopes"] },
    ),
    store: fc.nat(2),
    expiresIn: fc.constantFrom(-1_000, 0, 1_000, 45_000, 3_600_000, 2 * 86_400_000),
  },
  { requiredKeys: ["op", "input"] },
);
const patchArb = fc
  .record(
    {
      name: fc.constant("edited"),
      scopes: scopesArb,
      origins: fc.subarray(ORIGINS, { minLength: 1 }),
    },
    { requiredKeys: [] },
  )
  .filter((p) => Object.keys(p).length > 0);

/** One operation of a lifecycle; uses of keys are the most frequent. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: mintArb },
  {
    weight: 3,
    arbitrary: fc.record(
      { op: fc.constant("roll" as const), ...change, expiresIn: graceArb },
      { requiredKeys: ["op", "where", "k", "probe", "origin", "wait"] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("edit" as const),
      ...change,
      patch: patchArb,
      narrow: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("revoke" as const), ...change }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("deleteStore" as const), s: fc.nat(1) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("clock" as const),
      by: fc.constantFrom(1, 999, 1_000, 29_999, 30_000, 3_600_000, 13 * 3_600_000),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("clockToEnd" as const),
      probe: probeArb,
      nth: fc.nat(3),
      offset: fc.constantFrom(-1, 0),
    }),
  },
  {
    weight: 12,
    arbitrary: fc.record({
      op: fc.constant("use" as const),
      probe: probeArb,
      cred: pickArb,
      origin: originArb,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant("readHandoff" as const), h: indexArb, cred: pickArb }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("signIn" as const), cred: pickArb }) },
  { weight: 1, arbitrary: fc.constant({ op: "list" as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("session" as const),
      s: fc.nat(),
      probe: fc.nat(SESSION_PROBES.length - 1),
    }),
  },
);

/**
 * What every lifecycle starts with, so each kind of key is there from the first operation: a
 * secret key with every scope, a publishable key for the first origin, a store key.
 */
export const SETUP: Op[] = [
  { op: "mint", input: { kind: "secret", scopes: [...SCOPES] } },
  {
    op: "mint",
    input: { kind: "publishable", scopes: PUBLISHABLE_SCOPES, origins: [ORIGINS[0]!] },
  },
  { op: "mint", input: { kind: "secret", scopes: ["stats:read"] }, store: 0 },
];

export const isChange = (op: Op): op is Op & Change =>
  op.op === "roll" || op.op === "edit" || op.op === "revoke";

/** A key as `GET /v1/keys` must list it, from the model. */
export const listed = (k: ModelKey) => ({
  id: k.id,
  kind: k.kind,
  scopes: k.scopes,
  origins: k.origins,
  store_id: k.storeId,
  expires_at: k.expiresAt,
  revoked: k.revoked,
  rolled_to: k.rolledTo,
});
