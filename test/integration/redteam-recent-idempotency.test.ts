// Red team, Idempotency-Key's sealed answers: a signing key's secret replaced under the same id,
// a row moved to another key's scope in D1, a rotation that appends a key; and a create whose
// transaction D1 refuses. A stored answer opens only for its own key and header value, and one
// that cannot be opened is a 422 saying so — never a 500, which tells the client to retry, for
// the 24 h the row lives. A failed create keeps no claim, so its retry creates once.
import { describe, expect, it, vi } from "vitest";
import { idempotencyScope } from "../../src/core/idempotency";
import { TEST_VARS } from "../vars";
import { mintSecretKey } from "./helpers";
import { failingBatchDb } from "./hop-helpers";
import { db, keyIdOf, postWith, unique } from "./idempotency-helpers";

const RING = TEST_VARS.QB_SIGNING_KEYS;

const storesNamed = async (name: string) =>
  (await db
    .prepare("SELECT COUNT(*) AS n FROM stores WHERE name = ?")
    .bind(name)
    .first<{ n: number }>())!.n;

describe("a stored answer that cannot be opened", () => {
  it("a signing key's secret replaced under the same id: the retry is a 422 saying so, not a 500", async () => {
    const key = await mintSecretKey();
    const body = { name: unique("replaced secret") };
    const first = await postWith(RING)("/v1/stores", key, body, "replaced-1");
    expect(first.status).toBe(201);
    // The operator edits QB_SIGNING_KEYS in place: T2 (the current key) gets a new secret.
    const edited = RING.replace(/T2:[^,]+/, "T2:a-new-secret-for-t2-0123456789abcdef");
    expect(edited).not.toBe(RING);
    const retry = await postWith(edited)("/v1/stores", key, body, "replaced-1");
    expect(retry.status).toBe(422);
    expect(await retry.json()).toMatchObject({ error: "idempotency_key_reused" });
    expect(await storesNamed(body.name)).toBe(1);
  });

  it("another key's answer moved into this key's row in D1 does not open there: 422, never its body", async () => {
    const [mine, theirs] = [await mintSecretKey(), await mintSecretKey()];
    const post = postWith(RING);
    const body = { name: unique("moved row") };
    expect((await post("/v1/stores", mine, body, "moved-1")).status).toBe(201);
    const secret = { url: "https://hooks.example.com/rt-moved", events: ["*"] };
    const theirAnswer = await post("/v1/webhooks", theirs, secret, "moved-2");
    expect(theirAnswer.status).toBe(201);
    const { secret: shownOnce } = (await theirAnswer.json()) as { secret: string };
    const [to, from] = await Promise.all([
      idempotencyScope(await keyIdOf(mine), "moved-1"),
      idempotencyScope(await keyIdOf(theirs), "moved-2"),
    ]);
    await db
      .prepare(
        "UPDATE idempotency_keys SET kid = (SELECT kid FROM idempotency_keys WHERE scope = ?2), answer = (SELECT answer FROM idempotency_keys WHERE scope = ?2) WHERE scope = ?1",
      )
      .bind(to, from)
      .run();
    const retry = await post("/v1/stores", mine, body, "moved-1");
    expect(retry.status).toBe(422);
    expect(await retry.text()).not.toContain(shownOnce);
    expect(await storesNamed(body.name)).toBe(1);
  });
});

describe("a signing-key rotation", () => {
  it("appending a key: answers sealed with the old one still replay, nothing is created twice", async () => {
    const key = await mintSecretKey();
    const body = { name: unique("rotation") };
    const first = await postWith(RING)("/v1/stores", key, body, "rotation-1");
    expect(first.status).toBe(201);
    const created = await first.json();
    const rotated = `${RING},T3:test-signing-key-three-0123456789abcd`;
    const retry = await postWith(rotated)("/v1/stores", key, body, "rotation-1");
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await retry.json()).toEqual(created);
    expect(await storesNamed(body.name)).toBe(1);
  });
});

describe("a create that fails midway", () => {
  it("D1 refusing the create's transaction: a 500 that keeps no claim and wrote nothing; the retry creates once", async () => {
    const key = await mintSecretKey();
    const body = { name: unique("failed midway") };
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const failed = await postWith(RING, failingBatchDb)("/v1/stores", key, body, "midway-1");
    error.mockRestore();
    expect(failed.status).toBe(500);
    const scope = await idempotencyScope(await keyIdOf(key), "midway-1");
    const claims = "SELECT COUNT(*) AS n FROM idempotency_keys WHERE scope = ?";
    expect((await db.prepare(claims).bind(scope).first<{ n: number }>())!.n).toBe(0);
    expect(await storesNamed(body.name)).toBe(0);
    const retry = await postWith(RING)("/v1/stores", key, body, "midway-1");
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    const again = await postWith(RING)("/v1/stores", key, body, "midway-1");
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await storesNamed(body.name)).toBe(1);
  });
});
