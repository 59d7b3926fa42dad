// Red team: an app event answered `202` is an event counted. POST /v1/events answers only once
// the hop log holds the event's row (the queue, else the R2 spool, else a direct write); when none
// says it does, a 503 the caller retries. The attacks: every way failing (the answer must not
// say "accepted"), a send that takes its time (the answer must wait for it), a retry after the
// 503 — also one whose queue send landed with its answer lost — or after a 202 lost on the way
// (counted once, whichever way each copy went).
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { runMaintenance } from "../../src/store/maintenance";
import { posterFunnel } from "./funnel-helpers";
import { createHandoff } from "./handoffs-helpers";
import { BASE, call, mintKey, runToEnd } from "./helpers";
import { eventually, failingBatchDb, rolledUp, testConfig, testEnv } from "./hop-helpers";
import { app, consume, exported, type Message } from "./never-lost-helpers";
import { IPHONE, makePoster, scannedSession } from "./poster-helpers";

const APP = "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)";
const base = env as unknown as Record<string, unknown>;

const event = (json: Record<string, unknown>, ua = APP) =>
  new Request(`${BASE}/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": ua },
    body: JSON.stringify(json),
  });

/** The Worker whose hop queue refuses every send (over its limit, say); R2 and D1 work. */
function queueRefuses() {
  let sends = 0;
  const HOPS = {
    send: async () => {
      sends++;
      throw new Error("Queue send failed: Too Many Requests");
    },
  };
  return { send: runToEnd({ ...base, HOPS }), sends: () => sends };
}

/** A poster and a person's attribution session of it (its scan went through the real queue). */
async function posterSession(campaign: string): Promise<{ id: string; session: string }> {
  const p = await makePoster({ campaign });
  return { id: p.id, session: await scannedSession(p.code) };
}

const converted = (posterId: string) => rolledUp("converted", "poster_id = ?", posterId);

async function expect503(res: Response): Promise<void> {
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toBe("5");
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(await res.json()).toMatchObject({ error: "unavailable", details: { retry_after: 5 } });
}

describe("the queue refuses, the spool takes the event", () => {
  it("202 after the spool holds it; counted once, with its value, when the cron drains the spool", async () => {
    const p = await posterSession("never lost events spool");
    const w = queueRefuses();
    const res = await w.send(event({ session: p.session, type: "converted", value: 12.34 }));
    expect(res.status).toBe(202);
    expect(w.sends()).toBe(3); // the send and its two retries, then the spool
    expect(await converted(p.id)).toBe(0);
    await runMaintenance(testEnv, await testConfig(), Date.now());
    expect(await converted(p.id)).toBe(1);
    expect((await posterFunnel(p.id)).totals.converted_value).toEqual({ XXX: 12.34 });
  });
});

describe("every way fails: no 202, nothing counted, and the retry counts once", () => {
  it("a poster session's conversion: 503 with Retry-After; again with working bindings: 202, counted once", async () => {
    const p = await posterSession("never lost events dead");
    const dead = app({ dead: true });
    const body = { session: p.session, type: "converted", value: 30, currency: "EUR" };
    await expect503(await dead.send(event(body)));
    expect(dead.taken).toHaveLength(0);

    const phone = app();
    const res = await phone.send(event(body));
    expect(res.status).toBe(202);
    await consume(phone.taken);
    expect(await converted(p.id)).toBe(1);
    expect((await posterFunnel(p.id)).totals.converted_value).toEqual({ EUR: 30 });
  });

  it("a handoff's conversion, reported with its events credential: the same", async () => {
    const key = await mintKey("secret", ["handoffs:write", "stats:read"]);
    const h = await createHandoff(key, { path: "/cart/durable", payload: { cart: 1 } });
    const redeem = await call("/v1/resolve", {
      method: "POST",
      json: { url: h.url },
      headers: { "user-agent": APP },
    });
    expect(redeem.status).toBe(200);
    const { session } = (await redeem.json()) as { session: string };
    const dead = app({ dead: true });
    await expect503(await dead.send(event({ session, type: "converted", value: 5 })));
    expect(dead.taken).toHaveLength(0);

    const phone = app();
    expect((await phone.send(event({ session, type: "converted", value: 5 }))).status).toBe(202);
    expect(phone.rows().map((r) => [r.subject_id, r.hop])).toEqual([[h.id, "converted"]]);
    await consume(phone.taken);
    expect(await exported(key, h.id, "converted")).toBe(1);
  });

  it("a bot's report (its previewed hop) is held the same way: 503, then 202 and one previewed", async () => {
    const p = await posterSession("never lost events bot");
    const curl = "curl/8.5.0";
    await expect503(
      await app({ dead: true }).send(event({ session: p.session, type: "app_open" }, curl)),
    );
    const phone = app();
    expect((await phone.send(event({ session: p.session, type: "app_open" }, curl))).status).toBe(
      202,
    );
    expect(phone.rows().map((r) => [r.hop, r.bot])).toEqual([["previewed", 1]]);
    await consume(phone.taken);
    expect(await rolledUp("bot.previewed", "poster_id = ?", p.id)).toBe(1);
    expect(await rolledUp("app_open", "poster_id = ?", p.id)).toBe(0);
  });
});

describe("the answer waits for the send", () => {
  it("while the queue's send is held, the response is not out; released, it answers 202", async () => {
    const p = await posterSession("never lost events held");
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const taken: Message["body"][] = [];
    const HOPS = {
      send: async (body: Message["body"]) => {
        taken.push(structuredClone(body));
        await held;
      },
    };
    let answered = false;
    const ctx = createExecutionContext();
    const answer = worker
      .fetch(event({ session: p.session, type: "converted" }), { ...base, HOPS } as never, ctx)
      .then((res) => {
        answered = true;
        return res;
      });
    await eventually(() => taken.length > 0, "the queue's send");
    // The send has begun and is not done: a 202 now would promise what may yet be lost.
    expect(answered).toBe(false);
    release();
    expect((await answer).status).toBe(202);
    expect(taken.flatMap((b) => b.rows).map((r) => r.hop)).toEqual(["converted"]);
  });
});

describe("a 202 lost on its way to the app, and the app sending the event again", () => {
  it("both copies by the queue: one conversion", async () => {
    const p = await posterSession("never lost events lost 202");
    const phone = app();
    const body = { session: p.session, type: "converted", value: 9.99, currency: "EUR" };
    const [first, again] = [await phone.send(event(body)), await phone.send(event(body))];
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(phone.taken).toHaveLength(2);
    await consume(phone.taken);
    expect(await converted(p.id)).toBe(1);
    expect((await posterFunnel(p.id)).totals.converted_value).toEqual({ EUR: 9.99 });
  });

  it("the first copy spooled, the retry queued, consumed before the spool is drained: one conversion", async () => {
    const p = await posterSession("never lost events spool then queue");
    const body = { session: p.session, type: "converted", value: 7 };
    expect((await queueRefuses().send(event(body))).status).toBe(202);
    const phone = app();
    expect((await phone.send(event(body))).status).toBe(202);
    await consume(phone.taken);
    expect(await converted(p.id)).toBe(1);
    await runMaintenance(testEnv, await testConfig(), Date.now());
    expect(await converted(p.id)).toBe(1);
  });
});

describe("a 503 whose queue send did land (its answer was lost)", () => {
  it("the copies the queue took count once, and the app's retry adds nothing", async () => {
    const p = await posterSession("never lost events 503 landed");
    const taken: Message[] = [];
    const refuse = async () => {
      throw new Error("the isolate is gone");
    };
    // Each send reaches the queue, but its answer never comes back; spool and D1 refuse.
    const HOPS = {
      send: async (body: Message["body"]) => {
        taken.push({ id: `q-${taken.length}`, timestamp: new Date(), attempts: 1, body });
        throw new Error("Queue send failed: network connection lost");
      },
    };
    const DB = failingBatchDb(base.DB as D1Database);
    const send = runToEnd({ ...base, HOPS, HOP_ARCHIVE: { put: refuse }, DB });
    const body = { session: p.session, type: "converted", value: 5, currency: "EUR" };
    await expect503(await send(event(body)));
    expect(taken).toHaveLength(3);
    await consume(taken);
    expect(await converted(p.id)).toBe(1);

    const phone = app();
    expect((await phone.send(event(body))).status).toBe(202);
    await consume(phone.taken);
    expect(await converted(p.id)).toBe(1);
    expect((await posterFunnel(p.id)).totals.converted_value).toEqual({ EUR: 5 });
  });
});

describe("a person's page never waits on the log, nor fails because of it", () => {
  it("every way failing: the poster's scan page and the app's resolve of it still answer 200", async () => {
    const p = await makePoster({ campaign: "never lost events pages" });
    const dead = app({ dead: true });
    const page = await dead.send(
      new Request(`${BASE}/p/${p.code}`, { headers: { "user-agent": IPHONE } }),
    );
    expect(page.status).toBe(200);
    const resolve = await dead.send(
      new Request(`${BASE}/v1/resolve`, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": APP },
        body: JSON.stringify({ url: p.url }),
      }),
    );
    expect(resolve.status).toBe(200);
    expect(dead.taken).toHaveLength(0);
  });
});
