// Red team: what `GET /v1/webhooks` says about a rotation once its overlap has ended. The old
// secret stops signing at `previous_secret_expires_at`; the list must stop announcing it then,
// not when the hourly cron next forgets the old secret's columns.
import { describe, expect, it } from "vitest";
import { atClock, call } from "./helpers";
import { registerWebhook, webhookKeyForFile } from "./webhooks-helpers";

const key = webhookKeyForFile();

/** The endpoint `id` as `GET /v1/webhooks` and `PATCH` (a no-op description) show it at `now`. */
async function shownAt(id: string, now: number) {
  return atClock(now, async () => {
    const list = await call("/v1/webhooks", { key: key() });
    expect(list.status).toBe(200);
    const { webhooks } = (await list.json()) as {
      webhooks: { id: string; previous_secret_expires_at: number | null }[];
    };
    const edited = await call(`/v1/webhooks/${id}`, {
      method: "PATCH",
      key: key(),
      json: { description: "rotating" },
    });
    expect(edited.status).toBe(200);
    const one = (await edited.json()) as { previous_secret_expires_at: number | null };
    return {
      listed: webhooks.find((w) => w.id === id)!.previous_secret_expires_at,
      patched: one.previous_secret_expires_at,
    };
  });
}

describe("a rotation's overlap in the endpoint list", () => {
  it("is shown until the old secret stops signing, and not one moment after", async () => {
    // Two endpoints, so the list's rows are not all read at the same index.
    await registerWebhook(key(), ["conversion"], "https://hooks.example.com/rotated-other");
    const hook = await registerWebhook(key(), ["conversion"], "https://hooks.example.com/rotated");
    const t0 = Date.now();
    const rotated = await atClock(t0, () =>
      call(`/v1/webhooks/${hook.id}/rotate-secret`, {
        method: "POST",
        key: key(),
        json: { expires_in: 60 },
      }),
    );
    expect(rotated.status).toBe(201);
    const ends = t0 + 60_000;
    expect(await shownAt(hook.id, ends - 1)).toEqual({ listed: ends, patched: ends });
    expect(await shownAt(hook.id, ends)).toEqual({ listed: null, patched: null });
  });
});
