// The console's sign-in with a key that has ended: a temporary key past its expires_at, or a
// rolled key past its grace, is told it expired and when (in the reporting time zone, in the
// page's language), from its end on and not a millisecond before. Someone without the key learns
// nothing: a wrong key and a revoked one read "not valid", the same status, and no cookie is set.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_KEY, BASE, call, runToEnd } from "./helpers";
import { clockAt, mint, rolled, T0 } from "./key-roll-helpers";

afterEach(() => vi.useRealTimers());

const HOUR = 3_600_000;

function login(key: string, headers: Record<string, string> = {}) {
  return call("/dashboard/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE, ...headers },
    body: new URLSearchParams({ key }).toString(),
    redirect: "manual",
  });
}

/** The sign-in page's error, as a person reads it (the text of its alert). */
async function alertOf(res: Response): Promise<string | null> {
  const m = /<div class="error" role="alert">([^<]*)<\/div>/.exec(await res.text());
  return m ? m[1]! : null;
}

describe("console sign-in with an expired key", () => {
  it("a temporary key signs in until its end, then is told it expired and when; no cookie", async () => {
    clockAt(T0);
    const k = await mint({ scopes: ["stats:read"], expires_at: T0 + HOUR });
    clockAt(T0 + HOUR - 1);
    expect((await login(k.key)).status).toBe(303);
    clockAt(T0 + HOUR);
    const res = await login(k.key);
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await alertOf(res)).toBe(
      "That key expired on March 1, 2031 at 01:00 AM UTC: it no longer opens anything. Ask whoever manages your keys for a new one.",
    );
  });

  it("a rolled key past its grace is told when its grace ended; the new key signs in", async () => {
    clockAt(T0);
    const k = await mint({ scopes: ["stats:read"] });
    const successor = (await rolled(k.id, 60)).key;
    clockAt(T0 + 60_000);
    expect(await alertOf(await login(k.key))).toContain("expired on March 1, 2031 at 12:01 AM UTC");
    expect((await login(successor)).status).toBe(303);
  });

  it("someone without the key learns nothing: a wrong key and a revoked expired key read 'not valid'", async () => {
    clockAt(T0);
    const k = await mint({ scopes: ["stats:read"], expires_at: T0 + 1000 });
    const revoked = await mint({ scopes: ["stats:read"], expires_at: T0 + 1000 });
    expect(
      (await call(`/v1/keys/${revoked.id}`, { method: "DELETE", key: ADMIN_KEY })).status,
    ).toBe(200);
    clockAt(T0 + 2000);
    // The expired key's text with one character changed: its prefix and shape, not its row.
    const last = k.key.at(-1) === "A" ? "B" : "A";
    const near = k.key.slice(0, -1) + last;
    const notValid = "That key is not valid or has been revoked.";
    for (const key of [near, revoked.key, "qb_sk_not_a_real_key_00000000000000"]) {
      const res = await login(key);
      expect(res.status, key).toBe(401);
      expect(res.headers.get("set-cookie"), key).toBeNull();
      expect(await alertOf(res), key).toBe(notValid);
    }
    expect((await login(k.key)).status).toBe(401);
  });

  it("says it in the page's language, the date in the deployment's reporting time zone", async () => {
    clockAt(T0);
    const k = await mint({ scopes: ["stats:read"], expires_at: T0 + HOUR });
    clockAt(T0 + 2 * HOUR);
    const ja = await alertOf(await login(k.key, { "accept-language": "ja" }));
    expect(ja).toContain("このキーは 2031年3月1日 01:00 UTC に期限切れになり");
    const ar = await alertOf(await login(k.key, { "accept-language": "ar" }));
    expect(ar).toMatch(/^انتهت صلاحية هذا المفتاح في .*2031/);
    // A deployment reporting in Tokyo: the same end, 9 hours ahead, named as Tokyo's.
    const tokyo = runToEnd({
      ...(env as unknown as Record<string, unknown>),
      QB_REPORTING_TIME_ZONE: "Asia/Tokyo",
    });
    const res = await tokyo(
      new Request(`${BASE}/dashboard/login`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
        body: new URLSearchParams({ key: k.key }).toString(),
        redirect: "manual",
      }),
    );
    expect(res.status).toBe(401);
    expect(await alertOf(res)).toContain("expired on March 1, 2031 at 10:00 AM GMT+9");
  });
});
