// Red team, every operation of /openapi.json × the credentials that should open nothing or
// only a little: a store key (stats:read, held to one store) and its console session, and keys
// that have ended — revoked right after use (the isolate had cached them), expired, rolled past
// their grace — with their console sessions. Listing the operations from the document means a
// new route that takes stats:read but forgets the store, or a key check that skips the end of a
// key, fails here; and every change the console can send, forged as another site would forge it.
// (Scopes, publishable keys and watch secrets: contract-security.test.ts.)
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SCOPES } from "../../src/store/keys";
import { consoleCall, type Session, session } from "./console-helpers";
import { ADMIN_KEY, BASE, call, mintStoreKey } from "./helpers";
import { clockAt, mint, patch, roll, T0 } from "./key-roll-helpers";
import {
  concrete,
  listOperations,
  needsCredential,
  type Operation,
  type OperationFixtures,
  operationFixtures,
  schemesOf,
  scopeOf,
  sendOperation,
} from "./operations-helpers";
import { makeStore } from "./poster-helpers";

let ops: Operation[];
let fx: OperationFixtures;

beforeAll(async () => {
  ops = await listOperations();
  fx = await operationFixtures();
});
afterEach(() => vi.useRealTimers());

/** The operations a bearer key is an answer to (a secret or admin key is listed). */
const takesKey = (op: Operation) =>
  schemesOf(op).some((s) => s === "secretKey" || s === "adminKey");
const onlySession = (op: Operation) =>
  schemesOf(op).includes("dashboardSession") && needsCredential(op);
/** The console's path of a `/v1` operation (routes/console-api.ts forwards some areas). */
const throughConsole = (op: Operation) => op.path.startsWith("/v1/");

/** Each answer that is not `want`, as "METHOD path: status body", so one run lists them all. */
function collect() {
  const wrong: string[] = [];
  return {
    wrong,
    check(op: Operation, how: string, res: { status: number; body: string }, ok: boolean) {
      if (!ok) wrong.push(`${how} ${op.key}: ${res.status} ${res.body.slice(0, 160)}`);
    },
  };
}

/** The console's call of a `/v1` operation, with the session's cookie and CSRF token. */
async function viaConsole(s: Session, op: Operation, query = "") {
  const path = concrete(op.path, fx) + (query ? `?${query}` : "");
  const json = op.body === "json" ? {} : undefined;
  const res = await consoleCall(s, op.method, path, json);
  return { status: res.status, body: await res.text() };
}
describe("a store key (stats:read, held to its store) against every operation", () => {
  // The key is held to a store of its own; `fx.storeId` (with a poster, a campaign, a webhook
  // made for it) is the other store it must not reach.
  let key: string;
  let mine: { id: string; name: string };
  beforeAll(async () => {
    mine = await makeStore("Access table: the manager's");
    key = await mintStoreKey(mine.id);
  });

  it("only stats:read operations let it in, and each refuses another store's id", async () => {
    const { wrong, check } = collect();
    for (const op of ops.filter(takesKey)) {
      const plain = await sendOperation(op, { bearer: key }, fx);
      if (scopeOf(op) !== "stats:read") {
        check(op, "bearer", plain, plain.status === 403);
        continue;
      }
      check(op, "bearer", plain, plain.status !== 401 && plain.status !== 403);
      const other = await sendOperation(op, { bearer: key, query: `store_id=${fx.storeId}` }, fx);
      check(
        op,
        "bearer, other store",
        other,
        other.status === 403 && /store_scope/.test(other.body),
      );
    }
    expect(wrong).toEqual([]);
  });

  it("its console session: no answer names the other store, every /v1 change is refused", async () => {
    const s = await session(key);
    const { wrong, check } = collect();
    for (const op of ops.filter((o) => schemesOf(o).includes("dashboardSession"))) {
      const res = await sendOperation(
        op,
        { cookie: s.cookie, origin: "https://qr.test", query: `store_id=${fx.storeId}` },
        fx,
      );
      // The other store's id, its poster's and its campaign's (a path naming the poster, as
      // /dashboard/posters/{id} does, may echo it: that page is an empty frame).
      const named = [
        fx.storeId,
        fx.poster.campaign_id,
        ...(op.path.includes("{id}") ? [] : [fx.poster.id]),
      ];
      check(op, "session, other store", res, !named.some((id) => res.body.includes(id)));
    }
    for (const op of ops.filter((o) => takesKey(o) && throughConsole(o))) {
      const plain = await viaConsole(s, op);
      const reads = scopeOf(op) === "stats:read";
      // 404: an area the console does not forward at all (the export: /dashboard/api/hops.csv).
      check(op, "console", plain, [...(reads ? [200] : [403]), 404].includes(plain.status));
      if (plain.status !== 200) continue;
      const other = await viaConsole(s, op, `store_id=${fx.storeId}`);
      check(op, "console, other store", other, other.status === 403);
    }
    expect(wrong).toEqual([]);
  });
});

describe("keys that have ended, and their console sessions, against every operation", () => {
  const every = { scopes: [...SCOPES] };

  /** Every operation that takes a key → 401 with it, every session-only one → 401 with its session. */
  async function expectEndedEverywhere(keyText: string, s: Session, error: string) {
    const { wrong, check } = collect();
    for (const op of ops.filter(takesKey)) {
      const res = await sendOperation(op, { bearer: keyText }, fx);
      check(op, "bearer", res, res.status === 401 && res.body.includes(`"${error}"`));
    }
    for (const op of ops.filter(onlySession)) {
      const res = await sendOperation(op, { cookie: s.cookie, origin: "https://qr.test" }, fx);
      check(op, "session", res, res.status === 401);
    }
    for (const op of ops.filter((o) => takesKey(o) && throughConsole(o))) {
      const res = await viaConsole(s, op);
      check(op, "console", res, res.status === 401);
    }
    expect(wrong).toEqual([]);
  }

  /** The key's calls work now (the isolate has its record cached), through its session too. */
  async function inUse(keyText: string, s: Session) {
    expect((await call("/v1/stores", { key: keyText })).status).toBe(200);
    expect((await consoleCall(s, "GET", "/v1/stores")).status).toBe(200);
  }

  it("revoked right after a call: refused at once everywhere", async () => {
    const k = await mint(every);
    const s = await session(k.key);
    await inUse(k.key, s);
    const res = await call(`/v1/keys/${k.id}`, { method: "DELETE", key: ADMIN_KEY });
    expect(res.status).toBe(200);
    await expectEndedEverywhere(k.key, s, "unauthorized");
  });

  it("expired at its expires_at: refused from that millisecond everywhere", async () => {
    clockAt(T0);
    const k = await mint({ ...every, expires_at: T0 + 1000 });
    const s = await session(k.key);
    clockAt(T0 + 999);
    await inUse(k.key, s);
    clockAt(T0 + 1000);
    await expectEndedEverywhere(k.key, s, "key_expired");
  });

  it("rolled, once its grace has run out: refused everywhere, while its successor works", async () => {
    clockAt(T0);
    const k = await mint(every);
    const s = await session(k.key);
    await inUse(k.key, s);
    const rolled = await roll(k.id, { expires_in: 60 });
    expect(rolled.status).toBe(201);
    const successor = ((await rolled.json()) as { key: string }).key;
    clockAt(T0 + 59_999);
    await inUse(k.key, s);
    clockAt(T0 + 60_000);
    await expectEndedEverywhere(k.key, s, "key_expired");
    expect((await call("/v1/stores", { key: successor })).status).toBe(200);
  });
});

describe("a console session whose key lost stats:read after sign-in", () => {
  // Only a key holding stats:read signs in, but an edit may take the scope away later (a key
  // handed out too wide, perhaps leaked): the session must then read what the key reads.
  it("reads no funnel, export or names through the dashboard's data routes, as with the key", async () => {
    const k = await mint({ scopes: ["stats:read", "posters:write"] });
    const s = await session(k.key);
    const data = ops.filter(onlySession);
    expect(data.length).toBeGreaterThanOrEqual(3);
    for (const op of data)
      expect((await sendOperation(op, { cookie: s.cookie }, fx)).status, op.key).toBe(200);
    expect((await patch(k.id, { scopes: ["posters:write"] })).status).toBe(200);
    const { wrong, check } = collect();
    for (const op of data) {
      const res = await sendOperation(op, { cookie: s.cookie }, fx);
      check(op, "session", res, res.status === 403 && res.body.includes("stats:read"));
    }
    for (const op of ops.filter((o) => scopeOf(o) === "stats:read")) {
      const res = await sendOperation(op, { bearer: k.key }, fx);
      check(op, "bearer", res, res.status === 403);
    }
    expect(wrong).toEqual([]);
    // What the key still holds, its session still does.
    expect((await consoleCall(s, "GET", "/v1/posters")).status).toBe(200);
  });
});

describe("every change the console can send, forged by another site", () => {
  // The admin's session, which may change anything: each forgery must fail on the CSRF defence
  // alone (routes/dashboard-session.ts), before any route sees it.
  const forgeries: [string, Record<string, string | null>][] = [
    ["another origin, the right token", { origin: "https://evil.example" }],
    ["a sibling origin", { origin: "https://evil.qr.test" }],
    ["Origin: null, cross-site", { origin: "null", "sec-fetch-site": "cross-site" }],
    ["no Origin, same-site", { origin: null, "sec-fetch-site": "same-site" }],
    ["no token", { "x-csrf-token": null }],
    ["another session's token", {}],
  ];

  it("every state-changing operation, through the console or on its own: 403", async () => {
    const admin = await session(ADMIN_KEY);
    const other = await session(ADMIN_KEY);
    forgeries[5]![1]["x-csrf-token"] = other.csrf;
    const changes = ops.filter((o) => o.method !== "GET");
    const viaProxy = changes.filter((o) => takesKey(o) && throughConsole(o));
    const own = changes.filter((o) => schemesOf(o).includes("dashboardSession"));
    expect(viaProxy.length).toBeGreaterThan(20);
    expect(own.map((o) => o.key)).toEqual(["POST /dashboard/logout"]);
    const { wrong, check } = collect();
    for (const [how, headers] of forgeries) {
      for (const op of viaProxy) {
        const res = await consoleCall(admin, op.method, concrete(op.path, fx), {}, headers);
        const out = { status: res.status, body: await res.text() };
        check(op, how, out, out.status === 403);
      }
      for (const op of own) {
        // A form post: the token goes in its `csrf` field.
        const token = "x-csrf-token" in headers ? headers["x-csrf-token"] : admin.csrf;
        const h: Record<string, string> = {
          cookie: admin.cookie,
          origin: BASE,
          "content-type": "application/x-www-form-urlencoded",
        };
        for (const [k, v] of Object.entries(headers)) {
          if (v === null) delete h[k];
          else if (k !== "x-csrf-token") h[k] = v;
        }
        const res = await call(concrete(op.path, fx), {
          method: op.method,
          headers: h,
          body: token ? `csrf=${token}` : "",
          redirect: "manual",
        });
        const out = { status: res.status, body: await res.text() };
        check(op, how, out, out.status === 403);
      }
    }
    expect(wrong).toEqual([]);
    // Nothing was changed or ended: the session still reads, the throwaway key still lives.
    expect((await consoleCall(admin, "GET", "/v1/keys")).status).toBe(200);
    const keys = (await (await call("/v1/keys", { key: ADMIN_KEY })).json()) as {
      keys: { id: string; revoked_at: number | null }[];
    };
    expect(keys.keys.find((k) => k.id === fx.throwawayKeyId)?.revoked_at).toBeNull();
  });

  it("a sign-in posted by another site is refused, so it cannot plant its own session", async () => {
    const key = await mintStoreKey((await makeStore("Access table: login CSRF")).id);
    for (const [how, headers] of forgeries.slice(0, 4)) {
      const h: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
      for (const [k, v] of Object.entries(headers)) if (v !== null) h[k] = v;
      const res = await call("/dashboard/login", {
        method: "POST",
        headers: h,
        body: new URLSearchParams({ key }).toString(),
        redirect: "manual",
      });
      expect(res.status, how).toBe(403);
      expect(res.headers.get("set-cookie"), how).toBeNull();
    }
  });
});
