// Every operation of /openapi.json called with each kind of credential, so that what the
// document says about who may call it (its `security`) is what the route does: no credential
// → 401 where one is required; a secret key without the named scope → 403; a publishable key
// → 403 except where it is listed; a secret key on an admin-only route → 403; a wrong watch
// secret → 403; and the credentials listed get past authentication (no 401/403).
import { beforeAll, describe, expect, it } from "vitest";
import { SCOPES } from "../../src/store/keys";
import { ADMIN_KEY, BASE, mintKey } from "./helpers";
import {
  type Credential,
  listOperations,
  needsCredential,
  type Operation,
  type OperationFixtures,
  operationFixtures,
  isOptional as optional,
  schemesOf as schemes,
  scopeOf,
  sendOperation,
} from "./operations-helpers";

const ORIGIN = "https://shop.example";
let ops: Operation[];
let f: OperationFixtures;
let everyScope: string;
let withoutScope: Record<string, string>;
let publishable: string;

beforeAll(async () => {
  ops = await listOperations();
  f = await operationFixtures();
  everyScope = await mintKey("secret", [...SCOPES]);
  withoutScope = {};
  for (const scope of SCOPES)
    withoutScope[scope] = await mintKey(
      "secret",
      SCOPES.filter((s) => s !== scope),
    );
  publishable = await mintKey("publishable", ["handoffs:write", "logins:write"], [ORIGIN]);
});

/** Call the operation with `credential`; returns the status. */
const send = async (op: Operation, credential: Credential) =>
  (await sendOperation(op, credential, f)).status;

const watchOf = (op: Operation) =>
  op.path.startsWith("/v1/logins/") ? f.login.watch : f.handoff.watch;

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
    await expectEach(
      needsCredential,
      () => ({}),
      (s) => s === 401,
      "401",
    );
    // (The dashboard's sign-in form answers a wrong key with 401: it is sent no key here.)
    await expectEach(
      (op) => !needsCredential(op),
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
