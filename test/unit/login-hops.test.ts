// A QR login's once-only step hops (core/login-hops.ts): the same row whoever sends it, built
// from the record alone, and one id per login and step.
import { describe, expect, it } from "vitest";
import { loginStep } from "../../src/core/login";
import { keptLoginHops, loginEventId, loginStepHops } from "../../src/core/login-hops";
import { type LoginRecord, newLogin } from "../../src/core/login-record";

const T0 = 1_767_225_600_000;
const ID = "8QK3T0M1ZC7X9R2B4N6D";
const PHONE = { country: "DE", colo: "TXL", referrer_host: null, in_app: "instagram" };
const BACKEND = { country: "US", colo: "IAD", referrer_host: null };
const approver = { platform: "ios", os: "iOS 18", browser: "Safari", country: "DE", city: null };

function fresh(): LoginRecord {
  return newLogin(
    {
      id: ID,
      key_id: "key_x",
      watch_hash: "w",
      code_challenge: "c",
      metadata: null,
      created_by: "page",
      requester: {
        platform: "desktop",
        browser: "Chrome",
        os: "Windows",
        country: "DE",
        city: "Berlin",
        region: null,
        colo: "TXL",
        origin: null,
      },
      network: null,
      location: null,
      expires_at: T0 + 60_000,
    },
    T0,
  );
}

function go(rec: LoginRecord, event: Parameters<typeof loginStep>[1], at: number, extra = {}) {
  const r = loginStep(rec, event, at, extra);
  if (!r.ok) throw new Error(`${event} refused`);
  return r.record;
}

const scanned = go(fresh(), "scan", T0 + 1000, { approver, scanHash: "s", hopFacts: PHONE });
const approved = go(scanned, "approve", T0 + 2000, {
  subject: "user-7",
  approvedBy: "key_login",
  ticketHash: "t",
  hopFacts: BACKEND,
});
const exchanged = go(approved, "exchange", T0 + 3000, { hopFacts: BACKEND });

describe("a login's step hops", () => {
  it("the scan: the phone's device and in-app browser, its request's facts, at the scan", async () => {
    const [hop] = await loginStepHops(scanned, "scanned");
    expect(hop).toEqual({
      kind: "login",
      subject_id: ID,
      hop: "scanned",
      created_at: T0,
      at: T0 + 1000,
      event_id: await loginEventId(ID, "scanned"),
      request_facts: { country: "DE", colo: "TXL", referrer_host: null },
      platform: "ios",
      in_app: "instagram",
      detail: { via: "app", os: "iOS 18", browser: "Safari" },
    });
  });

  it("the approval names its key; the exchange keeps every step's facts to the end", async () => {
    const [hop] = await loginStepHops(approved, "approved");
    expect(hop).toMatchObject({ at: T0 + 2000, detail: { approved_by: "key_login" } });
    expect((await keptLoginHops(exchanged)).map((h) => [h.hop, h.at])).toEqual([
      ["scanned", T0 + 1000],
      ["approved", T0 + 2000],
      ["exchanged", T0 + 3000],
    ]);
    // The ended record dropped the subject, not the facts of its hops.
    expect(exchanged.subject).toBeNull();
  });

  it("a denial says who and why, at its end", async () => {
    const denied = go(scanned, "deny", T0 + 4000, {
      deniedBy: "app",
      reason: "not me",
      hopFacts: PHONE,
    });
    const [hop] = await loginStepHops(denied, "denied");
    expect(hop).toMatchObject({ at: T0 + 4000, detail: { by: "app", reason: "not me" } });
    expect((await keptLoginHops(denied)).map((h) => h.hop)).toEqual(["scanned", "denied"]);
  });

  it("the same id for every copy, one per login and step, apart from a handoff's", async () => {
    expect(await loginEventId(ID, "approved")).toBe(await loginEventId(ID, "approved"));
    expect(await loginEventId(ID, "approved")).not.toBe(await loginEventId(ID, "scanned"));
    expect(await loginEventId(ID, "approved")).not.toBe(
      await loginEventId("9QK3T0M1ZC7X9R2B4N6D", "approved"),
    );
    expect(await loginEventId(ID, "approved")).toMatch(/^ev_[0-9a-f]{32}$/);
  });

  it("nothing for a step not taken, or a record that kept no facts (older than them)", async () => {
    expect(await loginStepHops(scanned, "exchanged")).toEqual([]);
    expect(await loginStepHops(scanned, "denied")).toEqual([]);
    expect(await keptLoginHops({ ...exchanged, hop_facts: undefined })).toEqual([]);
  });
});
