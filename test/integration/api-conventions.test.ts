// Conventions of the whole API: every /v1 route refuses query parameters it does not declare,
// every validation error has one shape, and every time in a JSON body is unix milliseconds.
import { afterEach, describe, expect, it, vi } from "vitest";
import { SESSION_TTL_SECONDS } from "../../src/core/attribution";
import { sendTestEvent } from "../../src/store/webhooks";
import { createHandoff } from "./handoffs-helpers";
import { ADMIN_KEY, call, mintKey, mintSecretKey } from "./helpers";
import { runQueue, testEnv } from "./hop-helpers";
import { makePoster } from "./poster-helpers";

interface Failure {
  error: string;
  message: string;
  details: { field: string; fields: { field: string; message: string }[] };
}

async function refusal(res: Response): Promise<Failure> {
  expect(res.status).toBe(400);
  const body = (await res.json()) as Failure;
  expect(body.error).toBe("validation_failed");
  return body;
}

describe("unknown query parameters", () => {
  it("answer 400 naming the parameter on routes with a query schema", async () => {
    const key = await mintSecretKey();
    const h = await createHandoff(key);
    const cases: [string, string][] = [
      ["/v1/posters?stor_id=st_000000000000", "stor_id"],
      ["/v1/posters?limit=5&colour=red", "colour"],
      ["/v1/stats/funnel?group_by=store&grop_by=day", "grop_by"],
      [`/v1/handoffs/${h.id}?watch=${h.watch}&wiat=5`, "wiat"],
      ["/v1/stores?page=2", "page"],
    ];
    for (const [path, name] of cases) {
      const body = await refusal(await call(path, { key }));
      expect(body.details.field, path).toBe(name);
      expect(body.details.fields, path).toEqual([
        { field: name, message: "unknown query parameter" },
      ]);
      expect(body.message, path).toMatch(new RegExp(`^${name}: unknown query parameter`));
    }
  });

  it("answer 400 on routes that declare no query at all, listing every unknown one", async () => {
    const key = await mintSecretKey();
    const body = await refusal(
      await call("/v1/campaigns?dry_run=1&x=2", {
        method: "POST",
        key,
        json: { name: "never created" },
      }),
    );
    expect(body.details.field).toBe("dry_run");
    expect(body.details.fields.map((f) => f.field)).toEqual(["dry_run", "x"]);
    expect((await refusal(await call("/v1/keys?all=1", { key: ADMIN_KEY }))).details.field).toBe(
      "all",
    );
    const resolve = await call("/v1/resolve?debug=1", {
      method: "POST",
      json: { url: "https://qr.test/p/NOPE" },
    });
    expect((await refusal(resolve)).details.field).toBe("debug");
  });

  it("leave declared parameters alone, the events route's watch included", async () => {
    const key = await mintSecretKey();
    expect((await call("/v1/posters?limit=2", { key })).status).toBe(200);
    expect((await call("/v1/stats/funnel?group_by=store", { key })).status).toBe(200);
    const h = await createHandoff(key);
    const ws = await call(`/v1/handoffs/${h.id}/events?watch=${h.watch}`, {
      headers: { upgrade: "websocket" },
    });
    expect(ws.status).toBe(101);
    ws.webSocket!.accept();
    ws.webSocket!.close();
    const extra = await call(`/v1/handoffs/${h.id}/events?watch=${h.watch}&token=x`, {
      headers: { upgrade: "websocket" },
    });
    expect((await refusal(extra)).details.field).toBe("token");
  });

  it("still ask for a key first: a missing key is 401, not 400", async () => {
    expect((await call("/v1/posters?nope=1")).status).toBe(401);
  });

  it("do not apply outside /v1: scan links keep whatever a campaign appends", async () => {
    const res = await call("/healthz?utm_source=poster");
    expect(res.status).toBe(200);
  });
});

describe("one validation-error shape", () => {
  it("a schema failure names the first field and lists them all", async () => {
    const key = await mintSecretKey();
    const res = await call("/v1/posters", { method: "POST", key, json: { name: "", path: 5 } });
    const body = await refusal(res);
    expect(body.details.field).toBe(body.details.fields[0]!.field);
    expect(body.details.fields.map((f) => f.field).sort()).toEqual(["name", "path"]);
    for (const f of body.details.fields) expect(f.message).toEqual(expect.any(String));
  });

  it("a hand-written check gives the same shape", async () => {
    const key = await mintSecretKey();
    const ttl = await refusal(
      await call("/v1/handoffs", { method: "POST", key, json: { ttl: 5 } }),
    );
    expect(ttl.details).toEqual({
      field: "ttl",
      fields: [{ field: "ttl", message: "must be from 15 to 900 seconds" }],
    });
    const cursor = await refusal(await call("/v1/posters?cursor=garbage", { key }));
    expect(cursor.details).toMatchObject({
      field: "cursor",
      fields: [{ field: "cursor", message: expect.any(String) }],
    });
    const range = await refusal(
      await call("/v1/stats/funnel?from=2020-01-01&to=2024-01-01", { key }),
    );
    expect(range.details.field).toBe("to");
    expect(range.details.fields).toEqual([{ field: "to", message: expect.any(String) }]);
  });
});

// One unit for times in every JSON body of the API and of webhook payloads: unix milliseconds.
// Headers keep their own specs: QB-Signature's t= is unix seconds, as Stripe's scheme has it.
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("times in JSON are unix ms", () => {
  it("a resolved poster's session_expires_at is ms, like a handoff's expires_at", async () => {
    const p = await makePoster({ path: "/menu" });
    // The clock stands still at a moment with milliseconds, so units and rounding both show.
    const now = Math.floor(Date.now() / 1000) * 1000 + 437;
    vi.useFakeTimers({ toFake: ["Date"], now });
    try {
      const res = await call("/v1/resolve", { method: "POST", json: { url: p.url } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { attribution: { session_expires_at: number } };
      // The session counts in whole seconds and lasts SESSION_TTL_SECONDS.
      expect(body.attribution.session_expires_at).toBe(now - 437 + SESSION_TTL_SECONDS * 1000);
      const h = await createHandoff(await mintSecretKey(), { ttl: 120 });
      // A handoff's expiry is signed into its token in whole seconds, too.
      expect(h.expires_at).toBe(now - 437 + 120_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a webhook's created is ms while QB-Signature's t= stays seconds", async () => {
    const key = await mintKey("secret", ["webhooks:write"]);
    const reg = await call("/v1/webhooks", {
      method: "POST",
      key,
      json: { url: "https://hooks.example.com/units", events: ["*"] },
    });
    const hook = (await reg.json()) as { id: string };
    const seen: { body: string; signature: string }[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (_input, init) => {
      const headers = new Headers(init?.headers);
      seen.push({ body: String(init?.body), signature: headers.get("qb-signature") ?? "" });
      return new Response(null, { status: 204 });
    });
    const now = Math.floor(Date.now() / 1000) * 1000 + 437;
    vi.useFakeTimers({ toFake: ["Date"], now });
    const deliveryId = await sendTestEvent(testEnv.DB, hook.id);
    const detail = await call(`/v1/webhooks/${hook.id}/deliveries/${deliveryId}`, { key });
    const { payload } = (await detail.json()) as { payload: string };
    const event = JSON.parse(payload) as { type: string; created: number };
    expect(event.type).toBe("ping");
    expect(event.created).toBe(now);
    await runQueue("qrbridge-webhooks", [
      {
        id: `wm-${deliveryId}`,
        timestamp: new Date(),
        attempts: 1,
        body: { t: "webhook", id: deliveryId },
      },
    ]);
    const sent = seen.find((s) => s.body === payload)!;
    const t = Number(/^t=(\d+),/.exec(sent.signature)![1]);
    expect(t).toBe(Math.floor(now / 1000));
  });
});
