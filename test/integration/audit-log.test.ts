// The audit log: each change through the API or the console writes exactly one row naming the
// key that made it; a refused change writes none; no secret reaches a row; only the admin key
// reads the log.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type LoggedRow, mintKeyWithId, rowsAbout, rowsBy, send } from "./audit-helpers";
import { consoleCall, session } from "./console-helpers";
import { ADMIN_KEY, call } from "./helpers";
import { receiver } from "./webhooks-helpers";

const EDITOR = ["posters:write", "webhooks:write", "stats:read"];
const summary = (rows: LoggedRow[]) => rows.map((r) => `${r.action} ${r.subject_type}`);

describe("each change writes one row naming its key", () => {
  it("stores, campaigns, posters and webhooks through the API", async () => {
    const { key, id: actor } = await mintKeyWithId(EDITOR);
    const store = await send("POST", "/v1/stores", key, {
      name: "Shibuya",
      metadata: { till: "private note" },
    });
    const spare = await send("POST", "/v1/stores", key, { name: "Spare" });
    expect(
      (await send("PATCH", `/v1/stores/${store.body.id}`, key, { name: "Shibuya 2F" })).status,
    ).toBe(200);
    expect((await send("DELETE", `/v1/stores/${spare.body.id}`, key)).status).toBe(200);
    const campaign = await send("POST", "/v1/campaigns", key, { name: `Audit ${actor}` });
    expect(campaign.status).toBe(201);
    const poster = await send("POST", "/v1/posters", key, {
      name: "Door",
      path: "/menu",
      store_id: store.body.id,
    });
    const batch = await send("POST", "/v1/posters/batch", key, {
      posters: [
        { name: "A", path: "/a" },
        { name: "B", path: "/b" },
      ],
    });
    expect(batch.status).toBe(201);
    const pid = poster.body.id as string;
    expect((await send("PATCH", `/v1/posters/${pid}`, key, { status: "paused" })).status).toBe(200);
    expect((await send("DELETE", `/v1/posters/${pid}`, key)).status).toBe(200);
    const hook = await send("POST", "/v1/webhooks", key, {
      url: "https://hooks.example.com/qb",
      events: ["conversion"],
    });
    expect((await send("DELETE", `/v1/webhooks/${hook.body.id}`, key)).status).toBe(200);

    const rows = await rowsBy(actor);
    expect(summary(rows)).toEqual([
      "store.create store",
      "store.create store",
      "store.update store",
      "store.delete store",
      "campaign.create campaign",
      "poster.create poster",
      "poster.create poster",
      "poster.create poster",
      "poster.update poster",
      "poster.delete poster",
      "webhook.create webhook",
      "webhook.delete webhook",
    ]);
    expect(rows.every((r) => r.via === "api")).toBe(true);
    const batchIds = (batch.body.posters as { id: string }[]).map((p) => p.id);
    expect(rows.slice(6, 8).map((r) => r.subject_id)).toEqual(batchIds);
    const update = rows.find((r) => r.action === "poster.update")!;
    expect(update.subject_id).toBe(pid);
    expect(JSON.parse(update.changes)).toEqual({
      fields: ["status"],
      values: { status: "paused" },
    });
    const rename = rows.find((r) => r.action === "store.update")!;
    expect(JSON.parse(rename.changes)).toEqual({
      fields: ["name"],
      values: { name: "Shibuya 2F" },
    });
  });

  it("keys: the admin key is the actor of minting and revoking", async () => {
    const { id } = await mintKeyWithId(["stats:read"]);
    expect((await send("DELETE", `/v1/keys/${id}`, ADMIN_KEY)).status).toBe(200);
    const rows = await rowsAbout("key", id);
    expect(rows.map((r) => `${r.actor} ${r.action}`)).toEqual([
      "admin key.create",
      "admin key.revoke",
    ]);
  });

  it("a webhook delivery's manual retry", async () => {
    receiver(200);
    const { key, id: actor } = await mintKeyWithId(EDITOR);
    const hook = await send("POST", "/v1/webhooks", key, {
      url: "https://hooks.example.com/retry",
      events: ["conversion"],
    });
    const delivery = `whd_audit_${actor}`;
    await env.DB.prepare(
      "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status, attempts, created_at) VALUES (?, ?, 'e', 'conversion', '{}', 'failed', 8, ?)",
    )
      .bind(delivery, hook.body.id, Date.now())
      .run();
    const path = `/v1/webhooks/${hook.body.id}/deliveries/${delivery}/retry`;
    // Without a WEBHOOKS queue the first call sends it; make it pending again, as a call still
    // queued would leave it: the second call finds it queued and changes nothing.
    expect((await send("POST", path, key)).status).toBe(202);
    await env.DB.prepare(
      "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ? WHERE id = ?",
    )
      .bind(Date.now(), delivery)
      .run();
    expect((await send("POST", path, key)).status).toBe(202);
    const retried = (await rowsBy(actor)).filter((r) => r.action === "webhook.retry");
    expect(retried.map((r) => [r.subject_id, JSON.parse(r.changes).values])).toEqual([
      [hook.body.id, { delivery_id: delivery }],
    ]);
  });

  it("through the console: the session's key, marked as the console", async () => {
    const { key, id: actor } = await mintKeyWithId(["posters:write", "stats:read"]);
    const s = await session(key);
    const created = await consoleCall(s, "POST", "/v1/posters", { name: "Desk", path: "/d" });
    expect(created.status).toBe(201);
    const pid = ((await created.json()) as { id: string }).id;
    const paused = await consoleCall(s, "PATCH", `/v1/posters/${pid}`, { status: "paused" });
    expect(paused.status).toBe(200);
    const rows = await rowsBy(actor);
    expect(rows.map((r) => [r.action, r.via, r.subject_id])).toEqual([
      ["poster.create", "console", pid],
      ["poster.update", "console", pid],
    ]);
  });
});

describe("a refused change writes no row", () => {
  it("400, 404 and 409 answers leave the log as it was", async () => {
    const { key, id: actor } = await mintKeyWithId(EDITOR);
    const store = await send("POST", "/v1/stores", key, { name: "Busy" });
    const poster = await send("POST", "/v1/posters", key, {
      name: "P",
      path: "/p",
      store_id: store.body.id,
    });
    const campaign = `Dup ${actor}`;
    expect((await send("POST", "/v1/campaigns", key, { name: campaign })).status).toBe(201);
    const before = (await rowsBy(actor)).length;
    const pid = poster.body.id as string;
    const refused = [
      await send("POST", "/v1/campaigns", key, { name: campaign }), // 409 taken
      await send("DELETE", `/v1/stores/${store.body.id}`, key), // 409 in use
      await send("PATCH", `/v1/posters/${pid}`, key, { status: "paused", version: 99 }), // 409
      await send("PATCH", "/v1/posters/ZZZZZZ", key, { status: "paused" }), // 404
      await send("PATCH", `/v1/posters/${pid}`, key, { path: "no slash" }), // 400
      await send("PATCH", `/v1/stores/st_nosuchstore1`, key, { name: "x" }), // 404
      await send("DELETE", "/v1/webhooks/whe_0000000000000000", key), // 404
      await send("POST", "/v1/posters", key, { name: "x", path: "/x", store_id: "st_gone" }), // 400
    ];
    expect(refused.map((r) => r.status)).toEqual([409, 409, 409, 404, 400, 404, 404, 400]);
    expect((await send("DELETE", `/v1/posters/${pid}`, key)).status).toBe(200);
    expect((await send("DELETE", `/v1/posters/${pid}`, key)).status).toBe(404); // already deleted
    expect((await send("DELETE", "/v1/keys/key_nosuchkey000000", ADMIN_KEY)).status).toBe(404);
    const after = await rowsBy(actor);
    expect(summary(after.slice(before))).toEqual(["poster.delete poster"]);
    expect(await rowsAbout("key", "key_nosuchkey000000")).toEqual([]);
  });

  it("concurrent PATCHes: one row per change that landed, none for the one that lost", async () => {
    const { key, id: actor } = await mintKeyWithId(["posters:write"]);
    const poster = await send("POST", "/v1/posters", key, { name: "Race", path: "/r" });
    const pid = poster.body.id as string;
    // Without a version each PATCH re-reads and lands (or gives up with 409 after 3 tries).
    const free = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        send("PATCH", `/v1/posters/${pid}`, key, { name: `n${i}` }),
      ),
    );
    // With the same version only one can win.
    const version = (await send("GET", `/v1/posters/${pid}`, key)).body.version;
    const pinned = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        send("PATCH", `/v1/posters/${pid}`, key, { label: `l${i}`, version }),
      ),
    );
    const landed = [...free, ...pinned].filter((r) => r.status === 200);
    expect(pinned.filter((r) => r.status === 200)).toHaveLength(1);
    const updates = (await rowsBy(actor)).filter((r) => r.action === "poster.update");
    expect(updates).toHaveLength(landed.length);
    // The pinned winner's change is logged once; the losers' labels nowhere.
    const winner = pinned.find((r) => r.status === 200)!.body.label as string;
    const labels = updates.map((r) => JSON.parse(r.changes).values.label).filter(Boolean);
    expect(labels).toEqual([winner]);
  });
});

describe("no secret in a row", () => {
  it("webhook secret, URL token, key text and store metadata stay out", async () => {
    const { key, id: actor } = await mintKeyWithId(EDITOR);
    const url = "https://hooks.example.com/services/T0001/SECRETPATH?token=QUERYSECRET";
    const hook = await send("POST", "/v1/webhooks", key, { url, events: ["conversion"] });
    expect(hook.status).toBe(201);
    await send("POST", "/v1/stores", key, { name: "M", metadata: { pin: "STOREPIN" } });
    const minted = await send("POST", "/v1/keys", ADMIN_KEY, {
      name: "leak?",
      kind: "secret",
      scopes: ["stats:read"],
    });
    const text = JSON.stringify([
      ...(await rowsBy(actor)),
      ...(await rowsAbout("key", minted.body.id as string)),
    ]);
    const created = (await rowsBy(actor)).find((r) => r.action === "webhook.create")!;
    expect(JSON.parse(created.changes).values.host).toBe("hooks.example.com");
    for (const secret of [
      hook.body.secret as string,
      "SECRETPATH",
      "QUERYSECRET",
      "STOREPIN",
      minted.body.key as string,
      (minted.body.key as string).slice(6, 16),
    ])
      expect(text).not.toContain(secret);
    // The metadata is named as changed, its content is not kept.
    const store = (await rowsBy(actor)).find((r) => r.action === "store.create")!;
    expect(JSON.parse(store.changes)).toEqual({
      fields: ["name", "metadata"],
      values: { name: "M" },
    });
  });
});

describe("GET /v1/audit-log", () => {
  it("only the admin key reads it", async () => {
    const secret = await mintKeyWithId([...EDITOR, "handoffs:write", "logins:write"]);
    const pk = await mintKeyWithId(["handoffs:write"], "publishable", ["https://shop.test"]);
    const statuses = [
      (await call("/v1/audit-log")).status,
      (await call("/v1/audit-log", { key: secret.key })).status,
      (await call("/v1/audit-log", { key: pk.key, headers: { origin: "https://shop.test" } }))
        .status,
      (await call("/v1/audit-log", { key: ADMIN_KEY })).status,
    ];
    expect(statuses).toEqual([401, 403, 403, 200]);
    // The console forwards it (its audit log page): a session has its key's rights, no more.
    const s = await session(secret.key);
    expect((await consoleCall(s, "GET", "/v1/audit-log")).status).toBe(403);
    expect((await consoleCall(await session(ADMIN_KEY), "GET", "/v1/audit-log")).status).toBe(200);
  });

  it("filters by subject, actor and time, newest first; bad input is a 400", async () => {
    const { key, id: actor } = await mintKeyWithId(["posters:write"]);
    const poster = await send("POST", "/v1/posters", key, { name: "F", path: "/f" });
    const pid = poster.body.id as string;
    await send("PATCH", `/v1/posters/${pid}`, key, { status: "paused" });
    const bySubject = await send(
      "GET",
      `/v1/audit-log?subject_type=poster&subject_id=${pid}`,
      ADMIN_KEY,
    );
    const entries = bySubject.body.entries as { action: string; actor: string; at: number }[];
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ["poster.update", actor],
      ["poster.create", actor],
    ]);
    const byActor = await send("GET", `/v1/audit-log?actor=${actor}`, ADMIN_KEY);
    expect((byActor.body.entries as unknown[]).length).toBe(2);
    const later = await send(
      "GET",
      `/v1/audit-log?actor=${actor}&from=${entries[0]!.at + 1}`,
      ADMIN_KEY,
    );
    expect(later.body.entries).toEqual([]);
    for (const query of [
      "cursor=abc",
      "subject_id=x",
      "subject_type=handoff",
      "limit=0",
      "from=-1",
    ])
      expect((await send("GET", `/v1/audit-log?${query}`, ADMIN_KEY)).status).toBe(400);
  });
});
