// Red team: "one winner" for handoffs. Many phones (or one attacker with many connections) race
// to redeem, claim, cancel and outlive the same handoff; the handoff's object must hand the
// payload to exactly one caller, and never after a cancel, a denial or an expiry.
import { beforeAll, describe, expect, it } from "vitest";
import {
  ANDROID_APP_UA,
  type Created,
  createHandoff,
  decide,
  editHandoff,
  resolve,
  scan,
  status,
} from "./handoffs-helpers";
import { call, mintSecretKey, statusTally } from "./helpers";

let key: string;
beforeAll(async () => {
  key = await mintSecretKey();
});

const PAYLOAD = { session: "victim-session" };

/** How many of the answers carried the payload. */
async function payloadsIn(responses: Response[]): Promise<number> {
  let n = 0;
  for (const r of responses) {
    const text = await r.clone().text();
    if (text.includes("victim-session")) n++;
  }
  return n;
}

/** Move a handoff's deadline into the past, as time passing would (the alarm not yet run). */
async function outlive(h: Created): Promise<void> {
  await editHandoff(h.id, (rec) => {
    const past = Date.now() - 1000;
    rec.expires_at = past;
    if (rec.scanned_at !== null) rec.scanned_at = past - rec.redeem_window * 1000;
  });
}

function cancel(h: Created): Promise<Response> {
  return call(`/v1/handoffs/${h.id}?watch=${h.watch}`, { method: "DELETE" });
}

/** A distinct phone: its own user agent, its own claim. */
function resolveAs(h: Created, i: number, claim?: string): Promise<Response> {
  return call("/v1/resolve", {
    method: "POST",
    json: { url: h.url, ...(claim ? { claim } : {}) },
    headers: {
      "user-agent": `${ANDROID_APP_UA} phone/${i}`,
      "cf-connecting-ip": `198.51.${100 + Math.floor(i / 250)}.${(i % 250) + 1}`,
    },
  });
}

describe("50 phones redeem one handoff at once", () => {
  it("one 200 with the payload, 49 × 409 already_redeemed, the PC sees redeemed", async () => {
    const h = await createHandoff(key, { payload: PAYLOAD });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => resolveAs(h, i)));
    expect(statusTally(answers)).toEqual({ 200: 1, 409: 49 });
    expect(await payloadsIn(answers)).toBe(1);
    expect((await status(h)).status).toBe("redeemed");
  });
});

describe("redeem racing cancel", () => {
  it("either the app wins and the cancel is refused, or the cancel wins and nobody redeems", async () => {
    const h = await createHandoff(key, { payload: PAYLOAD });
    await scan(h);
    const answers = await Promise.all([
      ...Array.from({ length: 25 }, (_, i) => resolveAs(h, i)),
      cancel(h),
      ...Array.from({ length: 25 }, (_, i) => resolveAs(h, 25 + i)),
    ]);
    const cancelled = answers[25]!;
    const resolves = answers.filter((_, i) => i !== 25);
    const final = (await status(h)).status;
    if (cancelled.status === 200) {
      expect(final).toBe("cancelled");
      expect(await payloadsIn(resolves)).toBe(0);
      expect(statusTally(resolves)[200]).toBeUndefined();
    } else {
      expect(cancelled.status).toBe(409);
      expect(final).toBe("redeemed");
      expect(await payloadsIn(resolves)).toBe(1);
    }
  });

  it("after a cancel, no replay of the link gets the payload", async () => {
    const h = await createHandoff(key, { payload: PAYLOAD });
    await scan(h);
    expect((await cancel(h)).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => resolveAs(h, i)));
    expect(statusTally(answers)).toEqual({ 410: 10 });
    expect(await payloadsIn(answers)).toBe(0);
  });
});

describe("redeem past the deadline", () => {
  it("a scanned handoff whose redeem window passed gives nobody the payload, even before the alarm", async () => {
    const h = await createHandoff(key, { payload: PAYLOAD });
    await scan(h);
    await outlive(h);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => resolveAs(h, i)));
    expect(await payloadsIn(answers)).toBe(0);
    expect(statusTally(answers)).toEqual({ 410: 20 });
    expect((await status(h)).status).toBe("expired");
  });

  it("a pending handoff past its ttl cannot be scanned into life by the app", async () => {
    const h = await createHandoff(key, { payload: PAYLOAD });
    await outlive(h);
    const res = await resolve(h.url);
    expect(res.status).toBe(410);
    expect((await status(h)).status).toBe("expired");
  });
});

describe('confirm: "pc" — one claimant, and only the claimant', () => {
  it("50 phones claim at once: one gets the claim, 49 get 409 and change nothing the PC sees", async () => {
    const h = await createHandoff(key, { payload: PAYLOAD, confirm: "pc" });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => resolveAs(h, i)));
    expect(statusTally(answers)).toEqual({ 202: 1, 409: 49 });
    const winner = answers.find((r) => r.status === 202)!;
    const { claim } = (await winner.json()) as { claim: string };
    expect(claim).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await status(h)).status).toBe("awaiting_confirmation");

    expect((await decide(h, "approve")).status).toBe(200);
    // The attackers retry, with no claim and with guessed ones, alongside the claimant.
    const after = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => resolveAs(h, 100 + i)),
      ...Array.from({ length: 20 }, (_, i) =>
        resolveAs(h, 120 + i, `guess-${i}-${"x".repeat(20)}`),
      ),
      resolveAs(h, 0, claim),
    ]);
    expect(await payloadsIn(after)).toBe(1);
    expect(after.at(-1)!.status).toBe(200);
    expect(statusTally(after.slice(0, -1))).toEqual({ 409: 40 });
    // The claimant's own retry gets its answer again (it may have been lost), strangers do not…
    expect((await resolveAs(h, 0, claim)).status).toBe(200);
    expect(
      statusTally(await Promise.all([resolveAs(h, 7), resolveAs(h, 8, "x".repeat(43))])),
    ).toEqual({ 409: 2 });
    // …and once the replay window has closed, the claimant is refused like anyone.
    await editHandoff(h.id, (rec) => {
      rec.replay_until = Date.now() - 1;
    });
    const late = await resolveAs(h, 0, claim);
    expect(late.status).toBe(409);
    expect(await payloadsIn([late])).toBe(0);
  });

  it("approve and deny racing each other: one decision, and the app follows it", async () => {
    const h = await createHandoff(key, { payload: PAYLOAD, confirm: "pc" });
    const first = await resolveAs(h, 1);
    const { claim } = (await first.json()) as { claim: string };
    const decisions = await Promise.all(
      Array.from({ length: 20 }, (_, i) => decide(h, i % 2 ? "approve" : "deny")),
    );
    // The first decision wins; the same decision again is its repeat (200), the other refused.
    const final = (await status(h)).status;
    const won = final === "approved" ? (i: number) => i % 2 === 1 : (i: number) => i % 2 === 0;
    expect(decisions.map((r) => r.status)).toEqual(
      decisions.map((_, i) => (won(i) ? 200 : final === "approved" ? 409 : 403)),
    );
    const redeem = await resolveAs(h, 1, claim);
    if (final === "approved") expect(redeem.status).toBe(200);
    else {
      expect(final).toBe("denied");
      expect(redeem.status).toBe(403);
      expect(await payloadsIn([redeem])).toBe(0);
    }
  });

  it("everything at once — claimant, strangers, approves, denies, cancels: the payload to the claimant only", async () => {
    const h = await createHandoff(key, { payload: PAYLOAD, confirm: "pc" });
    const { claim } = (await (await resolveAs(h, 1)).json()) as { claim: string };
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        if (i % 6 === 0) return decide(h, "approve");
        if (i % 6 === 1) return decide(h, "deny");
        if (i % 6 === 2) return i % 4 === 0 ? cancel(h) : resolveAs(h, 200 + i);
        return resolveAs(h, 1, claim);
      }),
    );
    // The claimant's calls after its redemption are its own retries: the same answer again.
    const claimant = answers.filter((_, i) => i % 6 >= 3);
    const final = (await status(h)).status;
    expect(await payloadsIn(answers.filter((_, i) => i % 6 < 3))).toBe(0);
    if (final === "redeemed") expect(await payloadsIn(claimant)).toBeGreaterThanOrEqual(1);
    else expect(await payloadsIn(claimant)).toBe(0);
    expect(["redeemed", "denied", "cancelled", "approved"]).toContain(final);
    if (final === "approved") {
      // Approved after the claimant's last try: it alone still redeems, once.
      expect(await payloadsIn([await resolveAs(h, 300), await resolveAs(h, 1, claim)])).toBe(1);
    }
  });

  it("a cancel while the claimant waits ends it: approve is refused, the claimant gets 410", async () => {
    const h = await createHandoff(key, { payload: PAYLOAD, confirm: "pc" });
    const { claim } = (await (await resolveAs(h, 1)).json()) as { claim: string };
    expect((await cancel(h)).status).toBe(200);
    expect((await decide(h, "approve")).status).toBe(410);
    const res = await resolveAs(h, 1, claim);
    expect(res.status).toBe(410);
    expect(await payloadsIn([res])).toBe(0);
  });

  it("an approval that comes after the claim's window has closed gives nothing", async () => {
    const h = await createHandoff(key, { payload: PAYLOAD, confirm: "pc" });
    const { claim } = (await (await resolveAs(h, 1)).json()) as { claim: string };
    await outlive(h);
    expect((await decide(h, "approve")).status).toBe(410);
    const res = await resolveAs(h, 1, claim);
    expect(res.status).toBe(410);
    expect(await payloadsIn([res])).toBe(0);
  });
});
