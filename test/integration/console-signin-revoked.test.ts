// The console's sign-in with a key revoked, or ended, by another isolate: this isolate still
// holds the key's lookup in its 30-second cache, but a session is only written for a key its
// own D1 row still lets in, so the sign-in is refused as a revoked key's is (no cookie, no
// session row) rather than writing a session its first use would refuse.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call } from "./helpers";
import { clockAt, mint, T0 } from "./key-roll-helpers";

afterEach(() => vi.useRealTimers());

const db = (env as unknown as { DB: D1Database }).DB;

function login(key: string) {
  return call("/dashboard/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://qr.test" },
    body: new URLSearchParams({ key }).toString(),
    redirect: "manual",
  });
}

const sessionsOf = async (keyId: string) =>
  (
    await db
      .prepare("SELECT count(*) AS n FROM dashboard_sessions WHERE key_id = ?")
      .bind(keyId)
      .first<{ n: number }>()
  )?.n;

describe("console sign-in with a key another isolate ended", () => {
  for (const [how, change] of [
    ["revoked", "UPDATE api_keys SET revoked_at = ? WHERE id = ?"],
    ["given an end in the past", "UPDATE api_keys SET expires_at = ? WHERE id = ?"],
  ] as const) {
    it(`a key ${how} there, still in this isolate's lookup cache, opens no session`, async () => {
      clockAt(T0);
      const k = await mint({ scopes: ["stats:read"] });
      // This isolate reads the key (a sign-in fills the lookup cache), then another isolate
      // ends it straight in D1: this isolate's cache still holds it as live for up to 30 s.
      expect((await login(k.key)).status).toBe(303);
      expect(await sessionsOf(k.id)).toBe(1);
      await db
        .prepare(change)
        .bind(T0 + 500, k.id)
        .run();
      clockAt(T0 + 1_000);
      const res = await login(k.key);
      expect(res.status).toBe(401);
      expect(res.headers.get("set-cookie")).toBeNull();
      expect(await res.text()).toContain("That key is not valid or has been revoked.");
      expect(await sessionsOf(k.id)).toBe(1);
    });
  }
});
