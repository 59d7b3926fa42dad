// POST /v1/webhooks/:id/rotate-secret: a new secret shown once, and until the old one expires
// every delivery carries both signatures, so a receiver moves from one to the other without a
// window where signatures fail. Verified as receivers verify: the Standard Webhooks library,
// the bridge's own helper, with each text of the secret; a copy of the database still signs
// nothing; the window ends on the injected clock.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/core/webhook-signature";
import { runMaintenance } from "../../src/store/maintenance";
import { deliverWebhook } from "../../src/store/webhook-delivery";
import { secretTexts } from "../../src/store/webhook-secrets";
import { sendTestEvent } from "../../src/store/webhooks";
import { mintKeyWithId, rowsAbout } from "./audit-helpers";
import { atClock, call } from "./helpers";
import { scalar, testConfig, testEnv } from "./hop-helpers";
import { capturingQueue, registerWebhook, webhookKeyForFile } from "./webhooks-helpers";

const key = webhookKeyForFile();
const HOUR = 3_600_000;

interface Sent {
  headers: Headers;
  body: string;
}

/** One attempt of a new test delivery of `hookId` at `now` (unix ms); what the receiver got. */
async function deliverAt(hookId: string, now: number, status = 200): Promise<Sent> {
  const config = await testConfig();
  const id = await sendTestEvent(testEnv.DB, hookId);
  return attempt(id, now, status, config);
}

async function attempt(
  id: string,
  now: number,
  status: number,
  config?: Awaited<ReturnType<typeof testConfig>>,
): Promise<Sent> {
  const seen: Sent[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    seen.push({ headers: req.headers, body: await req.text() });
    return new Response(null, { status });
  };
  await deliverWebhook(testEnv.DB, (config ?? (await testConfig())).keyring, id, {
    fetch: fetch as typeof globalThis.fetch,
    env: "test",
    now: () => now,
  });
  expect(seen).toHaveLength(1);
  return seen[0]!;
}

/** Whether `secret` verifies `sent` in both schemes, at the time it was signed. */
async function verifies(secret: string, sent: Sent): Promise<{ standard: boolean; qb: boolean }> {
  const t = Number(sent.headers.get("webhook-timestamp"));
  // The library checks the timestamp against its own clock: it reads the signing time.
  const standard = await atClock(t * 1000, async () => {
    try {
      new Webhook(secret).verify(sent.body, Object.fromEntries(sent.headers.entries()));
      return true;
    } catch {
      return false;
    }
  });
  const qb = await verifyWebhook(secret, sent.body, sent.headers.get("qb-signature") ?? "", {
    now: t,
  });
  return { standard, qb: qb.ok };
}

const rotate = (id: string, json: unknown = {}, headers: Record<string, string> = {}, k = key()) =>
  call(`/v1/webhooks/${id}/rotate-secret`, { method: "POST", key: k, json, headers });

const rotateAt = async (id: string, now: number, json: unknown = {}) =>
  atClock(now, async () => {
    const res = await rotate(id, json);
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as {
      id: string;
      secret: string;
      previous_secret_expires_at: number | null;
    };
  });

/** The base64url text of a base64 secret: what endpoints were shown before Standard Webhooks. */
const legacyText = (secret: string) =>
  `whsec_${secret.slice(6).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;

describe("rotating a webhook secret", () => {
  it("both secrets verify until the old one expires, then only the new one", async () => {
    const hook = await registerWebhook(key(), ["conversion"], "https://hooks.example.com/rotate");
    const t0 = Date.parse("2031-03-01T10:00:00Z");
    const before = await deliverAt(hook.id, t0);
    expect(await verifies(hook.secret, before)).toEqual({ standard: true, qb: true });

    const rotated = await rotateAt(hook.id, t0);
    expect(rotated.id).toBe(hook.id);
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(rotated.secret).not.toBe(hook.secret);
    expect(rotated.previous_secret_expires_at).toBe(t0 + 24 * HOUR);
    // Shown in the list during the window; the secrets never are.
    const list = await atClock(t0 + HOUR, async () =>
      (await call("/v1/webhooks", { key: key() })).text(),
    );
    expect(list).not.toContain(rotated.secret.slice(6, 30));
    expect(list).not.toContain(hook.secret.slice(6, 30));
    const shown = (JSON.parse(list) as { webhooks: Record<string, unknown>[] }).webhooks.find(
      (w) => w.id === hook.id,
    );
    expect(shown).toMatchObject({ previous_secret_expires_at: t0 + 24 * HOUR, enabled: true });

    const during = await deliverAt(hook.id, t0 + 23 * HOUR);
    expect(during.headers.get("webhook-signature")!.split(" ")).toHaveLength(2);
    // New first, then the old secret's two texts (base64 and the earlier base64url).
    expect(during.headers.get("qb-signature")!.match(/v1=/g)).toHaveLength(3);
    expect(await verifies(rotated.secret, during)).toEqual({ standard: true, qb: true });
    expect(await verifies(hook.secret, during)).toEqual({ standard: true, qb: true });
    expect((await verifies(legacyText(hook.secret), during)).qb).toBe(true);

    const after = await deliverAt(hook.id, t0 + 24 * HOUR);
    expect(after.headers.get("webhook-signature")!.split(" ")).toHaveLength(1);
    expect(after.headers.get("qb-signature")!.match(/v1=/g)).toHaveLength(1);
    expect(await verifies(rotated.secret, after)).toEqual({ standard: true, qb: true });
    expect(await verifies(hook.secret, after)).toEqual({ standard: false, qb: false });
    expect((await verifies(legacyText(hook.secret), after)).qb).toBe(false);

    // The cron forgets what derived the old secret once its window ended.
    await runMaintenance(capturingQueue().env, await testConfig(), t0 + 24 * HOUR);
    const row = await testEnv.DB.prepare(
      "SELECT previous_secret_kid, previous_secret_salt, previous_secret_expires_at FROM webhook_endpoints WHERE id = ?",
    )
      .bind(hook.id)
      .first();
    expect(row).toEqual({
      previous_secret_kid: null,
      previous_secret_salt: null,
      previous_secret_expires_at: null,
    });
  });

  it("expires_in 0 ends the old secret now; a retry after the rotation signs with the new", async () => {
    const hook = await registerWebhook(key(), ["conversion"], "https://hooks.example.com/leak");
    const t0 = Date.parse("2031-03-02T10:00:00Z");
    const config = await testConfig();
    const id = await sendTestEvent(testEnv.DB, hook.id);
    const failed = await attempt(id, t0, 503, config);
    expect(await verifies(hook.secret, failed)).toEqual({ standard: true, qb: true });

    const rotated = await rotateAt(hook.id, t0 + 1000, { expires_in: 0 });
    expect(rotated.previous_secret_expires_at).toBeNull();
    const retried = await attempt(id, t0 + 60_000, 200, config);
    expect(retried.headers.get("webhook-id")).toBe(id);
    expect(await verifies(rotated.secret, retried)).toEqual({ standard: true, qb: true });
    expect(await verifies(hook.secret, retried)).toEqual({ standard: false, qb: false });
  });

  it("rotating again during a window keeps two secrets at most: the oldest stops", async () => {
    const hook = await registerWebhook(key(), ["conversion"], "https://hooks.example.com/twice");
    const t0 = Date.parse("2031-03-03T10:00:00Z");
    const first = await rotateAt(hook.id, t0);
    const second = await rotateAt(hook.id, t0 + HOUR, { expires_in: 7 * 24 * 3600 });
    expect(second.previous_secret_expires_at).toBe(t0 + HOUR + 7 * 24 * HOUR);
    const sent = await deliverAt(hook.id, t0 + 2 * HOUR);
    expect(sent.headers.get("webhook-signature")!.split(" ")).toHaveLength(2);
    expect(sent.headers.get("qb-signature")!.match(/v1=/g)).toHaveLength(2);
    expect(await verifies(second.secret, sent)).toEqual({ standard: true, qb: true });
    expect(await verifies(first.secret, sent)).toEqual({ standard: true, qb: true });
    expect(await verifies(hook.secret, sent)).toEqual({ standard: false, qb: false });
  });

  it("stores no secret, logs no secret, and an Idempotency-Key retry gets the same secret once", async () => {
    const { key: k, id: keyId } = await mintKeyWithId(["webhooks:write"]);
    const hook = await registerWebhook(k, ["conversion"], "https://hooks.example.com/stored");
    const headers = { "idempotency-key": `rotate-${hook.id}` };
    const one = await rotate(hook.id, { expires_in: 3600 }, headers, k);
    const two = await rotate(hook.id, { expires_in: 3600 }, headers, k);
    expect(one.status).toBe(201);
    expect(two.status).toBe(201);
    expect(two.headers.get("idempotent-replayed")).toBe("true");
    const { secret } = (await one.json()) as { secret: string };
    expect(((await two.json()) as { secret: string }).secret).toBe(secret);

    const row = await testEnv.DB.prepare("SELECT * FROM webhook_endpoints WHERE id = ?")
      .bind(hook.id)
      .first<Record<string, unknown>>();
    const bytes = Uint8Array.from(atob(secret.slice(6)), (ch) => ch.charCodeAt(0));
    const texts = secretTexts(bytes);
    for (const text of [texts.current.slice(6), texts.legacy.slice(6)])
      expect(JSON.stringify(row)).not.toContain(text);
    expect(row).toMatchObject({ previous_secret_salt: null, secret_salt: expect.any(String) });

    const rows = (await rowsAbout("webhook", hook.id)).filter((r) => r.action === "webhook.rotate");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: keyId, via: "api" });
    expect(rows[0]!.changes).not.toContain(secret.slice(6, 20));
    expect(
      await scalar(
        "SELECT COUNT(*) FROM audit_log WHERE changes LIKE ?",
        `%${secret.slice(6, 20)}%`,
      ),
    ).toBe(0);
  });

  it("bad input is a 400 naming expires_in; a deleted or unknown endpoint is a 404", async () => {
    const hook = await registerWebhook(key(), ["conversion"], "https://hooks.example.com/bad");
    for (const json of [
      { expires_in: -1 },
      { expires_in: 7 * 24 * 3600 + 1 },
      { expires_in: "1h" },
      { expires_in: 1.5 },
      { expires_at: 5 },
    ]) {
      const res = await rotate(hook.id, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(await res.text(), JSON.stringify(json)).toMatch(/expires_/);
    }
    expect(await scalar("SELECT secret_salt FROM webhook_endpoints WHERE id = ?", hook.id)).toBe(
      null,
    );
    // No body at all: the default window.
    const bare = await call(`/v1/webhooks/${hook.id}/rotate-secret`, {
      method: "POST",
      key: key(),
    });
    expect(bare.status, await bare.clone().text()).toBe(201);
    expect((await rotate("whe_0000000000000000")).status).toBe(404);
    await call(`/v1/webhooks/${hook.id}`, { method: "DELETE", key: key() });
    expect((await rotate(hook.id)).status).toBe(404);
  });
});
