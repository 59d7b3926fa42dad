// Every operation of /openapi.json called with each kind of credential, so that what the
// document says about who may call it (its `security`) is what the route does: no credential
// → 401 where one is required; a secret key without the named scope → 403; a publishable key
// → 403 except where it is listed; a secret key on an admin-only route → 403; a wrong watch
// secret → 403; and the credentials listed get past authentication (no 401/403).
import { beforeAll, describe, expect, it } from "vitest";
import { SCOPES } from "../../src/store/keys";
import { makeFixtures } from "./fuzz-helpers";
import { ADMIN_KEY, BASE, call, mintKey } from "./helpers";
import { createLogin } from "./logins-helpers";

type Requirement = Record<string, string[]>;
interface Operation {
  key: string;
  method: string;
  path: string;
  security: Requirement[];
  body: "json" | "form" | null;
}
interface Credential {
  bearer?: string;
  watch?: string;
  cookie?: string;
  origin?: string;
}

const ORIGIN = "https://shop.example";
let ops: Operation[];
let f: Awaited<ReturnType<typeof makeFixtures>>;
let login: Awaited<ReturnType<typeof createLogin>>;
let everyScope: string;
let withoutScope: Record<string, string>;
let publishable: string;
let throwawayKeyId: string;

beforeAll(async () => {
  const doc = (await (await call("/openapi.json")).json()) as {
    paths: Record<
      string,
      Record<string, { security: Requirement[]; requestBody?: { content: object } }>
    >;
  };
  ops = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      key: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      path,
      security: op.security,
      body: !op.requestBody
        ? null
        : "application/x-www-form-urlencoded" in op.requestBody.content
          ? "form"
          : "json",
    })),
  );
  f = await makeFixtures();
  everyScope = await mintKey("secret", [...SCOPES]);
  withoutScope = {};
  for (const scope of SCOPES)
    withoutScope[scope] = await mintKey(
      "secret",
      SCOPES.filter((s) => s !== scope),
    );
  publishable = await mintKey("publishable", ["handoffs:write", "logins:write"], [ORIGIN]);
  login = await createLogin(everyScope);
  const throwaway = await call("/v1/keys", {
    method: "POST",
    key: ADMIN_KEY,
    json: { name: "revoked by the test", kind: "secret", scopes: ["stats:read"] },
  });
  throwawayKeyId = ((await throwaway.json()) as { id: string }).id;
});

const tokenOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

/** The operation's path with real ids, so a request gets as far as its route's checks. */
function concrete(path: string): string {
  const resource = path.split("/")[2];
  const ids: Record<string, string> = {
    keys: throwawayKeyId,
    handoffs: f.handoff.id,
    logins: login.id,
    posters: f.poster.id,
    stores: f.storeId,
    campaigns: f.poster.campaign_id,
    webhooks: f.webhookId,
  };
  return path
    .replace("{id}", ids[resource!] ?? "x")
    .replace("{delivery_id}", "whd_00000000000000000000")
    .replace("{token}", tokenOf(path.startsWith("/l/") ? login.url : f.handoff.url))
    .replace("{code}", f.poster.code)
    .replace("{kind}", "p")
    .replace("{file}", path.startsWith("/qr/") ? `${f.poster.code}.svg` : "qrbridge.js");
}

/** Bodies for the routes that validate their body before they authenticate. */
function bodyOf(op: Operation): string {
  const scan = "s".repeat(24);
  const bodies: Record<string, unknown> = {
    "POST /v1/logins": { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" },
    "POST /v1/logins/{id}/approve": { scan, subject: "user_1" },
    "POST /v1/logins/{id}/deny": { scan },
    "POST /v1/logins/exchange": { ticket: "T0", code_verifier: "v".repeat(43) },
    "POST /v1/events": { session: f.session, type: "app_open" },
  };
  return JSON.stringify(bodies[op.key] ?? {});
}

/** Call the operation with `credential`; returns the status. */
async function send(op: Operation, credential: Credential): Promise<number> {
  let url = concrete(op.path);
  const headers: Record<string, string> = {};
  if (credential.bearer) headers.authorization = `Bearer ${credential.bearer}`;
  if (credential.cookie) headers.cookie = credential.cookie;
  if (credential.origin) headers.origin = credential.origin;
  if (credential.watch) url += `?watch=${credential.watch}`;
  // The WebSocket routes (not POST /v1/events, which is JSON).
  if (op.path.endsWith("{id}/events")) headers.upgrade = "websocket";
  let body: string | undefined;
  if (op.body === "json") {
    headers["content-type"] = "application/json";
    body = bodyOf(op);
  } else if (op.body === "form") {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = "";
  }
  const res = await call(url, { method: op.method, headers, body, redirect: "manual" });
  if (res.status === 101) {
    res.webSocket!.accept();
    res.webSocket!.close();
  } else await res.arrayBuffer();
  return res.status;
}

const schemes = (op: Operation) => op.security.flatMap((r) => Object.keys(r));
const optional = (op: Operation) => op.security.some((r) => Object.keys(r).length === 0);
const scopeOf = (op: Operation) => op.security.find((r) => r.secretKey)?.secretKey?.[0];
const watchOf = (op: Operation) =>
  op.path.startsWith("/v1/logins/") ? login.watch : f.handoff.watch;

/** Each failure as "METHOD path: got → wanted", so one run lists them all. */
async function expectEach(
  pick: (op: Operation) => boolean,
  credential: (op: Operation) => Credential,
  want: (status: number) => boolean,
  wanted: string,
) {
  const picked = ops.filter(pick);
  expect(picked.length).toBeGreaterThan(0);
  const wrong: string[] = [];
  for (const op of picked) {
    const status = await send(op, credential(op));
    if (!want(status)) wrong.push(`${op.key}: ${status}, wanted ${wanted}`);
  }
  expect(wrong).toEqual([]);
}

const refused = (status: number) => status === 403;
const admitted = (status: number) => status !== 401 && status !== 403;

describe("what /openapi.json says about who may call, the routes do", () => {
  it("covers every operation with a stated requirement", () => {
    expect(ops.length).toBeGreaterThan(50);
    expect(ops.filter((op) => !Array.isArray(op.security)).map((op) => op.key)).toEqual([]);
  });

  it("no credential: 401 where one is required, never 401 on a public or optional route", async () => {
    const required = (op: Operation) => op.security.length > 0 && !optional(op);
    await expectEach(
      required,
      () => ({}),
      (s) => s === 401,
      "401",
    );
    // (The dashboard's sign-in form answers a wrong key with 401: it is sent no key here.)
    await expectEach(
      (op) => !required(op),
      () => ({}),
      (s) => s !== 401,
      "not 401",
    );
  });

  it("a secret key without the scope an operation names: 403", async () => {
    await expectEach(
      (op) => scopeOf(op) !== undefined,
      (op) => ({ bearer: withoutScope[scopeOf(op)!] }),
      refused,
      "403",
    );
  });

  it("a publishable key, even from its own origin: 403 unless the operation lists it", async () => {
    await expectEach(
      (op) => schemes(op).includes("secretKey") && !schemes(op).includes("publishableKey"),
      () => ({ bearer: publishable, origin: ORIGIN }),
      refused,
      "403",
    );
  });

  it("a secret key holding every scope on an admin-only operation: 403", async () => {
    await expectEach(
      (op) => op.security.length > 0 && schemes(op).every((s) => s === "adminKey"),
      () => ({ bearer: everyScope }),
      refused,
      "403",
    );
  });

  it("a watch secret of another handoff or login: 403", async () => {
    await expectEach(
      (op) => schemes(op).includes("watch"),
      () => ({ watch: "w".repeat(43) }),
      refused,
      "403",
    );
  });

  it("each credential an operation lists gets past authentication", async () => {
    const lists = (scheme: string) => (op: Operation) => schemes(op).includes(scheme);
    // The key that made the fixtures (a handoff is watched by the key that created it); it does
    // not hold events:write.
    const secret = (op: Operation) => (scopeOf(op) === "events:write" ? everyScope : f.sk);
    await expectEach(lists("secretKey"), (op) => ({ bearer: secret(op) }), admitted, "no 401/403");
    await expectEach(
      lists("publishableKey"),
      () => ({ bearer: publishable, origin: ORIGIN }),
      admitted,
      "no 401/403",
    );
    await expectEach(lists("watch"), (op) => ({ watch: watchOf(op) }), admitted, "no 401/403");
    await expectEach(
      (op) => lists("dashboardSession")(op) && !optional(op),
      () => ({ cookie: f.cookie, origin: BASE }),
      admitted,
      "no 401/403",
    );
    // Last: the admin key revokes the throwaway key and deletes what the others left.
    await expectEach(lists("adminKey"), () => ({ bearer: ADMIN_KEY }), admitted, "no 401/403");
  });
});
