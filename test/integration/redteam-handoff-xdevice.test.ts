// Red team, RFC 10027 against `confirm: "pc"`: the publishable key is in the shop's page, so the
// attacker holds it too. Even the key that created the handoff — with a claimant waiting for the
// PC's decision — must not read, approve, deny or cancel it: only the PC page's watch secret (or
// the shop's secret key) decides which phone gets the payload.
import { beforeAll, describe, expect, it } from "vitest";
import { type createHandoff, decide, resolve, status } from "./handoffs-helpers";
import { call, mintKey } from "./helpers";

const SHOP = "https://shop.example";
const PAYLOAD = { cart: "c_42" };

let pk: string;
beforeAll(async () => {
  pk = await mintKey("publishable", ["handoffs:write"], [SHOP]);
});

describe('confirm: "pc" — a publishable key decides nothing, even its own handoff', () => {
  it("with a claimant waiting: read, watch, approve, deny and cancel are 403 and nothing moves", async () => {
    const res = await call("/v1/handoffs", {
      method: "POST",
      key: pk,
      headers: { origin: SHOP },
      json: { payload: PAYLOAD, confirm: "pc" },
    });
    expect(res.status).toBe(201);
    const h = (await res.json()) as Awaited<ReturnType<typeof createHandoff>>;
    const asked = await resolve(h.url);
    expect(asked.status).toBe(202);
    const { claim } = (await asked.json()) as { claim: string };

    const asPage = { key: pk, headers: { origin: SHOP } };
    const path = `/v1/handoffs/${h.id}`;
    const attempts: [string, Response][] = [
      ["GET", await call(path, asPage)],
      ["long-poll", await call(`${path}?wait=1`, asPage)],
      [
        "events",
        await call(`${path}/events`, {
          ...asPage,
          headers: { ...asPage.headers, upgrade: "websocket" },
        }),
      ],
      ["approve", await call(`${path}/approve`, { ...asPage, method: "POST", json: {} })],
      ["deny", await call(`${path}/deny`, { ...asPage, method: "POST", json: {} })],
      ["cancel", await call(path, { ...asPage, method: "DELETE" })],
    ];
    for (const [what, r] of attempts) {
      expect(r.status, what).toBe(403);
      expect(await r.text(), what).not.toContain("c_42");
    }
    expect((await status(h)).status).toBe("awaiting_confirmation");
    // The PC page's watch secret still decides, and the claimant gets the payload once.
    expect((await decide(h, "approve")).status).toBe(200);
    const got = await resolve(h.url, { claim });
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ payload: PAYLOAD, created_by: "page" });
  });
});
