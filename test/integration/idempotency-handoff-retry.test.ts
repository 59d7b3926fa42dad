// Idempotency-Key on a handoff whose Worker died after making it: the retry after the lease
// answers that handoff and makes none, also when the signing key changed in between (a
// rotation made another key current) and when the retry comes with the rolled key. Before, the
// answer sealed into the claim was opened under the current key only: after a rotation it did not
// open, and the retry made a second handoff, never shown to the first client; and a retry after
// the first handoff's object was purged made it anew, counting its `created` hop twice.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PURGE_GRACE_MS } from "../../src/core/handoff";
import { IDEMPOTENCY_LEASE_MS } from "../../src/core/idempotency";
import { TEST_VARS } from "../vars";
import { editHandoff, handoffStub } from "./handoffs-helpers";
import { call, mintSecretKey } from "./helpers";
import { answerRefusingDb } from "./idempotency-atomic-helpers";
import { keyIdOf, postWith } from "./idempotency-helpers";
import { rolled } from "./key-roll-helpers";

const RING = TEST_VARS.QB_SIGNING_KEYS;
const ROTATED = `${RING},T3:test-signing-key-three-0123456789abcd`;
const BODY = { payload: { cart: "retried" }, ttl: 900 };

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** POST a handoff with `key` and `Idempotency-Key: idem` through a bridge signing with `ring`. */
const createHandoff = (
  ring: string,
  key: string,
  idem: string,
  wrap?: (d1: D1Database) => D1Database,
) => postWith(ring, wrap)("/v1/handoffs", key, BODY, idem);

/** A first request that made its handoff, then lost its answer's write (its Worker died). */
async function madeThenDied(key: string, idem: string) {
  vi.spyOn(console, "error").mockImplementation(() => {});
  const first = await createHandoff(RING, key, idem, answerRefusingDb);
  expect(first.status).toBe(201);
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + IDEMPOTENCY_LEASE_MS + 1 });
  return (await first.json()) as { id: string; watch: string; expires_at: number };
}

describe("a handoff's retry after its Worker died", () => {
  it("after a rotation made another signing key current: answers the first handoff, makes none", async () => {
    const key = await mintSecretKey();
    const idem = `rotated-${crypto.randomUUID()}`;
    const made = await madeThenDied(key, idem);
    const retry = await createHandoff(ROTATED, key, idem);
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual(made);
    const watched = await call(`/v1/handoffs/${made.id}?watch=${made.watch}`);
    expect(watched.status).toBe(200);
    const again = await createHandoff(ROTATED, key, idem);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(made);
  });

  it("sent with the key the first one was rolled to: answers the first handoff, makes none", async () => {
    const key = await mintSecretKey();
    const idem = `rolled-${crypto.randomUUID()}`;
    const made = await madeThenDied(key, idem);
    const successor = await rolled(await keyIdOf(key));
    const retry = await createHandoff(RING, successor.key, idem);
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual(made);
  });

  it("after the first handoff expired and its object was purged: answers it, makes it again nowhere", async () => {
    const key = await mintSecretKey();
    const idem = `purged-${crypto.randomUUID()}`;
    const made = await madeThenDied(key, idem);
    const stub = handoffStub(made.id);
    await editHandoff(made.id, (r) => {
      r.expires_at = Date.now() - 1;
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await editHandoff(made.id, (r) => {
      r.ended_at = Date.now() - PURGE_GRACE_MS - 1;
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const record = () => runInDurableObject(stub, (_o, state) => state.storage.kv.get("handoff"));
    expect(await record()).toBeUndefined();
    vi.setSystemTime(made.expires_at + PURGE_GRACE_MS);
    const retry = await createHandoff(RING, key, idem);
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual(made);
    expect(await record()).toBeUndefined();
  });
});
