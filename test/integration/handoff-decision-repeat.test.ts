// The PC's decision on a `confirm: "pc"` handoff, sent again: a lost answer retried or a double
// click. The same decision by the same party is answered as the first was (200, the handoff) and
// counts, delivers and pushes nothing a second time; a conflicting decision is still refused, and
// anyone else is refused exactly as before the decision (nothing of the state shown to them).
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Created,
  createHandoff,
  decide,
  eventually,
  resolve,
  scan,
  status,
} from "./handoffs-helpers";
import { BASE, call, hopCapturingWorker, mintKey, mintSecretKey } from "./helpers";
import { archivedHops } from "./hop-helpers";
import { deliveredTypes } from "./webhooks-helpers";

let key: string;
beforeAll(async () => {
  key = await mintSecretKey();
});

/** A `confirm: "pc"` handoff whose phone has asked: the PC's approve is due. `claim`: the app's. */
async function asked(): Promise<{ h: Created; claim: string }> {
  const h = await createHandoff(key, { payload: { s: 1 }, confirm: "pc" });
  const res = await resolve(h.url);
  expect(res.status).toBe(202);
  return { h, claim: ((await res.json()) as { claim: string }).claim };
}

/** The decision as a Request, for {@link hopCapturingWorker}. */
const decision = (h: Created, action: "approve" | "deny") =>
  new Request(`${BASE}/v1/handoffs/${h.id}/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ watch: h.watch }),
  });

/** The rows of `hop` that the captured requests sent for `h`. */
const sent = (rows: { subject_id: string; hop: string }[], h: Created, hop: string) =>
  rows.filter((r) => r.subject_id === h.id && r.hop === hop);

describe("the same decision again", () => {
  it("approve ×2: both 200 with the handoff, one approved hop sent", async () => {
    const { h } = await asked();
    const w = hopCapturingWorker();
    const first = await w.send(decision(h, "approve"));
    const again = await w.send(decision(h, "approve"));
    expect([first.status, again.status]).toEqual([200, 200]);
    const [a, b] = [await first.json(), await again.json()];
    expect(b).toEqual(a);
    expect(a).toMatchObject({ id: h.id, status: "approved" });
    expect(sent(w.rows, h, "approved")).toHaveLength(1);
  });

  it("deny ×2: both 200 with the handoff, one denied hop sent", async () => {
    const { h } = await asked();
    const w = hopCapturingWorker();
    const first = await w.send(decision(h, "deny"));
    const again = await w.send(decision(h, "deny"));
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await again.json()).toEqual(await first.json());
    expect(sent(w.rows, h, "denied")).toHaveLength(1);
    expect(w.rows.filter((r) => r.subject_id === h.id)).toHaveLength(1);
  });

  it("an early deny (scanned, no phone asked yet) repeated: 200 both", async () => {
    const h = await createHandoff(key, { confirm: "pc" });
    expect((await scan(h)).status).toBe(200);
    expect((await decide(h, "deny")).status).toBe(200);
    expect((await decide(h, "deny")).status).toBe(200);
  });

  it("approve again after the phone redeemed: 200 with the handoff as it is now", async () => {
    const { h, claim } = await asked();
    expect((await decide(h, "approve")).status).toBe(200);
    expect((await resolve(h.url, { claim })).status).toBe(200);
    const again = await decide(h, "approve");
    expect(again.status).toBe(200);
    const body = (await again.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: "redeemed" });
    expect(JSON.stringify(body)).not.toContain('"s":1');
  });

  it("20 concurrent approvals: all 200, one approved hop, the app redeems once", async () => {
    const { h, claim } = await asked();
    const w = hopCapturingWorker();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => w.send(decision(h, "approve"))),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(sent(w.rows, h, "approved")).toHaveLength(1);
    expect((await resolve(h.url, { claim })).status).toBe(200);
  });

  it("the watchers are told once, the funnel counts one approval, one webhook delivery", async () => {
    const hooks = await mintKey("secret", ["webhooks:write"]);
    const reg = await call("/v1/webhooks", {
      method: "POST",
      key: hooks,
      // A receiver that is not there: deliveries fail fast, their rows are what counts.
      json: { url: "http://localhost:9/repeat", events: ["handoff.approved", "handoff.redeemed"] },
    });
    expect(reg.status).toBe(201);
    const endpoint = ((await reg.json()) as { id: string }).id;
    const { h, claim } = await asked();
    const ws = await call(`/v1/handoffs/${h.id}/events?watch=${h.watch}`, {
      headers: { upgrade: "websocket" },
    });
    const socket = ws.webSocket!;
    const statuses: string[] = [];
    socket.addEventListener("message", (e) => {
      statuses.push((JSON.parse(String(e.data)) as { status: string }).status);
    });
    socket.accept();
    expect((await decide(h, "approve")).status).toBe(200);
    await eventually(() => statuses.includes("approved"), "approved pushed");
    expect((await decide(h, "approve")).status).toBe(200);
    expect((await decide(h, "approve")).status).toBe(200);
    // The redemption is pushed after anything the repeats could have pushed.
    expect((await resolve(h.url, { claim })).status).toBe(200);
    await eventually(() => statuses.includes("redeemed"), "redeemed pushed");
    socket.close();
    expect(statuses.filter((s) => s === "approved")).toHaveLength(1);
    const hops = await eventually(async () => {
      const names = (await archivedHops({ subject_id: h.id })).map((r) => r.hop);
      return names.includes("redeemed") && names.includes("approved") ? names : undefined;
    }, "the approved and redeemed hops archived");
    expect(hops.filter((r) => r === "approved")).toHaveLength(1);
    const types = await eventually(async () => {
      const made = await deliveredTypes(endpoint, h.id);
      return made.includes("handoff.redeemed") ? made : undefined;
    }, "the redeemed delivery");
    expect(types).toEqual(["handoff.approved", "handoff.redeemed"]);
  });
});

describe("a conflicting decision, or a stranger, is refused as before", () => {
  it("approve then deny: 409, and the handoff stays approved", async () => {
    const { h } = await asked();
    expect((await decide(h, "approve")).status).toBe(200);
    const deny = await decide(h, "deny");
    expect(deny.status).toBe(409);
    expect(await deny.json()).toMatchObject({ error: "conflict" });
    expect((await status(h)).status).toBe("approved");
  });

  it("deny then approve: 403 (denied), and the handoff stays denied", async () => {
    const { h } = await asked();
    expect((await decide(h, "deny")).status).toBe(200);
    const approve = await decide(h, "approve");
    expect(approve.status).toBe(403);
    expect(await approve.json()).toMatchObject({ error: "forbidden" });
    expect((await status(h)).status).toBe("denied");
  });

  it("a cancelled handoff's approval, sent again, is still 410", async () => {
    const { h } = await asked();
    expect((await decide(h, "approve")).status).toBe(200);
    expect((await call(`/v1/handoffs/${h.id}?watch=${h.watch}`, { method: "DELETE" })).status).toBe(
      200,
    );
    expect((await decide(h, "approve")).status).toBe(410);
  });

  it("strangers repeating a made decision get what they got before it: 401 / 403, no state", async () => {
    const { h } = await asked();
    const other = await mintSecretKey();
    const publishable = await mintKey("publishable", ["handoffs:write"], ["https://shop.example"]);
    const path = `/v1/handoffs/${h.id}`;
    const tries = () =>
      Promise.all(
        (["approve", "deny"] as const).flatMap((a) => [
          call(`${path}/${a}`, { method: "POST", json: {} }),
          call(`${path}/${a}`, { method: "POST", json: { watch: `${h.watch.slice(0, -1)}x` } }),
          call(`${path}/${a}`, { method: "POST", json: {}, key: other }),
          call(`${path}/${a}`, { method: "POST", json: { watch: h.watch }, key: publishable }),
        ]),
      );
    const before = await tries();
    const beforeBodies = await Promise.all(before.map((r) => r.json()));
    expect(before.map((r) => r.status)).toEqual([401, 403, 403, 403, 401, 403, 403, 403]);
    expect((await decide(h, "approve")).status).toBe(200);
    const after = await tries();
    expect(after.map((r) => r.status)).toEqual(before.map((r) => r.status));
    const afterBodies = await Promise.all(after.map((r) => r.json()));
    expect(afterBodies).toEqual(beforeBodies);
    for (const b of afterBodies) expect(JSON.stringify(b)).not.toContain("approved");
  });

  it('approve on a handoff without confirm: "pc" is still 409, the first time and again', async () => {
    const h = await createHandoff(key, {});
    expect((await decide(h, "approve")).status).toBe(409);
    expect((await decide(h, "approve")).status).toBe(409);
  });
});
