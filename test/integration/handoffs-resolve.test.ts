// A handoff link on the phone: confirm=pc (the PC approves the phone), and resolving it
// (POST /v1/resolve): once only, expiry, the redeem window, forged links, alarms.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PURGE_GRACE_MS } from "../../src/core/handoff";
import { Awaiting, ResolvedLink } from "../../src/routes/resolve";
import { expectMatches } from "./contract-helpers";
import {
  createHandoff,
  editHandoff,
  handoffStub,
  hopsOf,
  resolve,
  scan,
  signedToken,
  status,
  tokenOf,
} from "./handoffs-helpers";
import { call, mintSecretKey } from "./helpers";

describe('confirm: "pc"', () => {
  it("approve: the app waits (202), the PC approves, the claimant redeems once", async () => {
    const h = await createHandoff(await mintSecretKey(), { confirm: "pc", payload: { user: 7 } });
    const first = await resolve(h.url);
    expect(first.status).toBe(202);
    // The 202 is the documented AwaitingConfirmation, field for field.
    const waiting = expectMatches(Awaiting, await first.json());
    expect(waiting.status).toBe("awaiting_confirmation");
    expect(waiting.claim!.length).toBeGreaterThanOrEqual(22);
    expect((await resolve(h.url, { claim: waiting.claim })).status).toBe(202);
    // Someone else with the link cannot jump in.
    expect((await resolve(h.url)).status).toBe(409);
    expect(await status(h)).toMatchObject({
      status: "awaiting_confirmation",
      device: { platform: "android" },
    });
    const ok = await call(`/v1/handoffs/${h.id}/approve`, {
      method: "POST",
      json: { watch: h.watch },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "approved" });
    expect((await resolve(h.url)).status).toBe(409);
    const done = await resolve(h.url, { claim: waiting.claim });
    expect(done.status).toBe(200);
    expect(expectMatches(ResolvedLink, await done.json())).toMatchObject({
      kind: "handoff",
      id: h.id,
      payload: { user: 7 },
    });
    // The claimant lost its answer: its retry gets the same one; a stranger still gets 409.
    const again = await resolve(h.url, { claim: waiting.claim });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: h.id, payload: { user: 7 } });
    const stranger = await resolve(h.url);
    expect(stranger.status).toBe(409);
    expect(((await stranger.json()) as { error: string }).error).toBe("already_redeemed");
    expect(await hopsOf(h.id, 4)).toEqual(
      expect.arrayContaining(["created", "scanned", "approved", "redeemed"]),
    );
  });

  it("deny: the app gets 403 and the handoff is over", async () => {
    const key = await mintSecretKey();
    const h = await createHandoff(key, { confirm: "pc", payload: { user: 7 } });
    const claim = "app-chosen-claim-0123456789";
    expect((await resolve(h.url, { claim })).status).toBe(202);
    const no = await call(`/v1/handoffs/${h.id}/deny`, { method: "POST", key });
    expect(no.status).toBe(200);
    expect(await no.json()).toMatchObject({ status: "denied" });
    const after = await resolve(h.url, { claim });
    expect(after.status).toBe(403);
    expect(await after.text()).not.toContain("user");
    expect(
      (await call(`/v1/handoffs/${h.id}/approve?watch=${h.watch}`, { method: "POST" })).status,
    ).toBe(403);
  });

  it("approve needs a scan first, the right secret, and confirm: pc", async () => {
    const h = await createHandoff(await mintSecretKey(), { confirm: "pc" });
    expect(
      (await call(`/v1/handoffs/${h.id}/approve?watch=${h.watch}`, { method: "POST" })).status,
    ).toBe(409);
    expect((await call(`/v1/handoffs/${h.id}/approve?watch=x`, { method: "POST" })).status).toBe(
      403,
    );
    expect((await call(`/v1/handoffs/${h.id}/approve`, { method: "POST" })).status).toBe(401);
    const plain = await createHandoff(await mintSecretKey());
    await scan(plain);
    expect(
      (await call(`/v1/handoffs/${plain.id}/approve?watch=${plain.watch}`, { method: "POST" }))
        .status,
    ).toBe(409);
  });
});

// POST /v1/resolve for handoff links: once only, expiry, the redeem window, forged links, alarms.
describe("resolving a handoff link", () => {
  const edit = editHandoff;
  const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

  describe("POST /v1/resolve (handoff)", () => {
    it("full flow: create → scan → resolve returns the payload once", async () => {
      const h = await createHandoff(await mintSecretKey(), {
        payload: { cart: "c_42", items: [1, 2] },
        path: "/cart/42",
        metadata: { title: "Your cart" },
      });
      expect((await scan(h)).status).toBe(200);
      const res = await resolve(h.url);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      // The answer is the documented handoff variant of the 200 union, field for field.
      expect(expectMatches(ResolvedLink, await res.json())).toEqual({
        kind: "handoff",
        id: h.id,
        path: "/cart/42",
        payload: { cart: "c_42", items: [1, 2] },
        metadata: { title: "Your cart" },
        created_by: "server",
        attribution: null,
        // The events credential: red-teamed in redteam-handoff-events.test.ts.
        session: expect.stringMatching(/^[0-9A-Z]{42}$/),
        session_expires_at: expect.any(Number),
      });
      const again = await resolve(h.url);
      expect(again.status).toBe(409);
      expect(await errorOf(again)).toBe("already_redeemed");
      expect((await status(h)).status).toBe("redeemed");
      expect(await hopsOf(h.id, 4)).toEqual(
        expect.arrayContaining(["created", "scanned", "landing", "redeemed"]),
      );
    });

    it("without a page view, resolve records the scan itself", async () => {
      const h = await createHandoff(await mintSecretKey());
      expect((await resolve(h.url)).status).toBe(200);
      const s = await status(h);
      expect(s).toMatchObject({ status: "redeemed", device: { platform: "android" } });
      expect(await hopsOf(h.id, 3)).toEqual(
        expect.arrayContaining(["created", "scanned", "redeemed"]),
      );
    });

    it("100 concurrent resolves: exactly one 200, the rest 409", async () => {
      const h = await createHandoff(await mintSecretKey(), { payload: { n: 1 } });
      const results = await Promise.all(Array.from({ length: 100 }, () => resolve(h.url)));
      const codes = results.map((r) => r.status);
      expect(codes.filter((c) => c === 200)).toHaveLength(1);
      expect(codes.filter((c) => c === 409)).toHaveLength(99);
      const hops = await hopsOf(h.id, 3);
      expect(hops.filter((x) => x === "redeemed")).toHaveLength(1);
    });

    it("accepts the link in lowercase, and inside the app's custom-scheme URL", async () => {
      const a = await createHandoff(await mintSecretKey());
      expect((await resolve(a.url.toLowerCase())).status).toBe(200);
      const b = await createHandoff(await mintSecretKey());
      const schemeUrl = `acme:///cart/42?qb_link=${encodeURIComponent(b.url)}`;
      expect((await resolve(schemeUrl)).status).toBe(200);
    });

    it("forged → 400 invalid_token; other hosts and paths → 400 invalid_url", async () => {
      const h = await createHandoff(await mintSecretKey());
      const token = tokenOf(h);
      const forged = `https://qr.test/h/${token.slice(0, -2)}${token.endsWith("00") ? "11" : "00"}`;
      const res = await resolve(forged);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toBe("invalid_token");
      // A broken percent-escape is just a bad token, never a 500.
      const broken = await resolve("https://qr.test/h/%E0%A4%A");
      expect(broken.status).toBe(400);
      expect(await errorOf(broken)).toBe("invalid_token");
      for (const url of [
        `https://evil.test/h/${token}`,
        `https://qr.test/x/${token}`,
        "not a url",
        "javascript:alert(1)",
      ]) {
        const r = await resolve(url);
        expect(r.status, url).toBe(400);
        expect(await errorOf(r)).toBe("invalid_url");
      }
      // Another host's link names both hosts, so a mismatch is seen at once.
      expect(await (await resolve(`https://evil.test/h/${token}`)).json()).toMatchObject({
        error: "invalid_url",
        details: { host: "evil.test", bridge_host: "qr.test" },
      });
      expect((await status(h)).status).toBe("pending");
    });

    it("an expired, unscanned handoff → 410", async () => {
      const h = await createHandoff(await mintSecretKey());
      // Long past any redeem window: answered at the edge.
      const old = await signedToken(Math.floor(Date.now() / 1000) - 86_400, h.id);
      const r1 = await resolve(`https://qr.test/h/${old}`);
      expect(r1.status).toBe(410);
      expect(await errorOf(r1)).toBe("expired");
      // Just expired: the object decides, and it was never scanned.
      await edit(h.id, (r) => {
        r.expires_at = Date.now() - 1000;
      });
      const recent = await signedToken(Math.floor(Date.now() / 1000) - 1, h.id);
      const r2 = await resolve(`https://qr.test/h/${recent}`);
      expect(r2.status).toBe(410);
      expect((await status(h)).status).toBe("expired");
      expect(await hopsOf(h.id, 2)).toEqual(expect.arrayContaining(["created", "expired"]));
    });

    it("a scanned handoff stays redeemable for the redeem window after the QR expired", async () => {
      const h = await createHandoff(await mintSecretKey(), { ttl: 15, payload: { ok: true } });
      await scan(h);
      // The user went to install the app: the QR's ttl has passed, the window has not.
      await edit(h.id, (r) => {
        r.expires_at = Date.now() - 60_000;
        r.scanned_at = Date.now() - 120_000;
      });
      const token = await signedToken(Math.floor(Date.now() / 1000) - 60, h.id);
      const res = await resolve(`https://qr.test/h/${token}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ payload: { ok: true } });
    });

    it("the alarm expires a handoff, then deletes it after the grace period", async () => {
      const h = await createHandoff(await mintSecretKey());
      const stub = handoffStub(h.id);
      // Not due yet: the alarm re-arms and nothing changes.
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      expect((await status(h)).status).toBe("pending");
      await edit(h.id, (r) => {
        r.expires_at = Date.now() - 1;
      });
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      expect(await status(h)).toMatchObject({ status: "expired", redeemable_until: null });
      expect((await resolve(h.url)).status).toBe(410);
      expect(await hopsOf(h.id, 2)).toEqual(["created", "expired"]);
      await edit(h.id, (r) => {
        r.ended_at = Date.now() - PURGE_GRACE_MS - 1;
      });
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      const left = await runInDurableObject(stub, async (_o, state) => ({
        record: state.storage.kv.get("handoff"),
        alarm: await state.storage.getAlarm(),
      }));
      expect(left).toEqual({ record: undefined, alarm: null });
      const gone = await resolve(h.url);
      expect(gone.status).toBe(404);
    });

    it("arms the alarm at the expiry, and at scan time + redeem window after a scan", async () => {
      const h = await createHandoff(await mintSecretKey(), { ttl: 60 });
      const alarm = () =>
        runInDurableObject(handoffStub(h.id), (_o, state) => state.storage.getAlarm());
      expect(await alarm()).toBe(h.expires_at);
      await scan(h);
      const { scanned_at } = await status(h);
      expect(await alarm()).toBe((scanned_at as number) + 900_000);
    });
  });
});
