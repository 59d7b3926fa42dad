// A QR login scan whose answer was lost (the object committed, the phone never heard): the same
// app asks again with the `claim` it sent and gets 200 again, with the same scan handle (derived
// from the claim) — one scan counted, the PC told `scanned` once and never warned. Anyone
// else (no claim, another claim) keeps the 409 and the PC's warning; once the login is decided
// the claim is worth nothing.
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/core/hash";
import type { HopRow } from "../../src/core/hop-row";
import { scanHandleOf } from "../../src/core/login-ticket";
import { ANDROID_APP_UA, IPHONE_UA } from "./handoffs-helpers";
import { BASE, hopCapturingWorker, mintSecretKey, testKeyring } from "./helpers";
import {
  approve,
  type CreatedLogin,
  createLogin,
  editLogin,
  errorOf,
  loginStatus,
  loginStubOf,
  openLoginSocket,
  storedLogin,
} from "./logins-helpers";

const CLAIM = "app-claim-0123456789abcdef";

let nextIp = 1;
/** Each test's phones on addresses of their own: LOGIN_LIMITER counts scans per address. */
const freshIp = () => `198.51.100.${nextIp++}`;

/** The app's POST /v1/logins/scan, with a claim or without. */
function scanRequest(url: string, ip: string, claim?: string, ua = ANDROID_APP_UA): Request {
  return new Request(`${BASE}/v1/logins/scan`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": ua, "cf-connecting-ip": ip },
    body: JSON.stringify(claim === undefined ? { url } : { url, claim }),
  });
}

const countOf = (rows: HopRow[], id: string, hop: string) =>
  new Set(rows.filter((r) => r.subject_id === id && r.hop === hop).map((r) => r.event_id)).size;

const settle = () => new Promise((r) => setTimeout(r, 50));
const handleOf = async (res: Response) => ((await res.json()) as { scan: string }).scan;

async function setUp(): Promise<{ key: string; login: CreatedLogin; ip: string }> {
  const key = await mintSecretKey();
  return { key, login: await createLogin(key), ip: freshIp() };
}

/** The first scan reaches the object and commits; its answer never reaches the phone. */
async function lostScan(login: CreatedLogin, claim: string | null): Promise<void> {
  const approver = { platform: "android", os: "Android", browser: null, country: null, city: null };
  const facts = { country: "DE", colo: "TXL", referrer_host: null };
  const place = { network: null, location: null };
  const scanClaim =
    claim === null
      ? null
      : {
          hash: await sha256Hex(claim),
          handle: await scanHandleOf(await testKeyring(), login.id, claim),
          late: false,
        };
  const r = await loginStubOf(login.id).scan(approver, place, facts, scanClaim);
  expect(r.ok).toBe(true);
  await evictDurableObject(loginStubOf(login.id));
}

describe("a scan whose answer was lost, asked again with its claim", () => {
  it("200 again with the same handle: one scan, the PC told once and never warned; the lost answer's handle approves", async () => {
    const { key, login, ip } = await setUp();
    const pc = await openLoginSocket(login);
    const w = hopCapturingWorker();
    const first = await w.send(scanRequest(login.url, ip, CLAIM));
    expect(first.status).toBe(200);
    const lost = await handleOf(first); // as if it never arrived
    const again = await w.send(scanRequest(login.url, ip, CLAIM));
    expect(again.status).toBe(200);
    const body = (await again.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id: login.id, requester: { platform: "desktop" } });
    const handle = body.scan as string;
    // Derived from the claim: the lost answer's handle, given again.
    expect(handle).toBe(lost);

    await settle();
    expect(pc.messages.filter((m) => m.type === "warning")).toEqual([]);
    expect(pc.messages.filter((m) => m.status === "scanned")).toHaveLength(1);
    expect(await loginStatus(login)).toMatchObject({ status: "scanned", other_scans: 0 });
    expect(countOf(w.rows, login.id, "scanned")).toBe(1);
    expect(w.rows.filter((r) => r.subject_id === login.id && r.hop === "rejected")).toEqual([]);
    expect(JSON.stringify(w.rows)).not.toContain(CLAIM);

    expect((await approve(key, login.id, { scan: lost, subject: "user-1" })).status).toBe(200);
  });

  it("the object committed and the answer died with it: the retry still gets its handle", async () => {
    const { key, login, ip } = await setUp();
    const pc = await openLoginSocket(login);
    await lostScan(login, CLAIM);
    const w = hopCapturingWorker();
    const retry = await w.send(scanRequest(login.url, ip, CLAIM));
    expect(retry.status).toBe(200);
    const handle = await handleOf(retry);
    await settle();
    expect(pc.messages.filter((m) => m.type === "warning")).toEqual([]);
    expect(countOf(w.rows, login.id, "scanned")).toBe(0); // the first scan's, not the retry's
    expect((await storedLogin(login.id))?.scan_hash).toBe(await sha256Hex(handle));
    expect((await approve(key, login.id, { scan: handle, subject: "user-2" })).status).toBe(200);
  });

  it("only the claim's hash is stored, and it is dropped once the login is decided", async () => {
    const { key, login, ip } = await setUp();
    const w = hopCapturingWorker();
    const handle = await handleOf(await w.send(scanRequest(login.url, ip, CLAIM)));
    const rec = await storedLogin(login.id);
    expect(rec?.scan_claim_hash).toBe(await sha256Hex(CLAIM));
    expect(JSON.stringify(rec)).not.toContain(CLAIM);
    expect((await approve(key, login.id, { scan: handle, subject: "user-3" })).status).toBe(200);
    expect((await storedLogin(login.id))?.scan_claim_hash).toBeNull();
  });
});

describe("anyone else keeps today's refusal", () => {
  it("another claim, or none, after a scan with a claim: 409 already_scanned and the PC warned of each", async () => {
    const { login, ip } = await setUp();
    const pc = await openLoginSocket(login);
    const w = hopCapturingWorker();
    expect((await w.send(scanRequest(login.url, ip, CLAIM))).status).toBe(200);
    const thief = freshIp();
    for (const claim of [`${CLAIM}x`, `${CLAIM.slice(0, -1)}X`, undefined]) {
      const res = await w.send(scanRequest(login.url, thief, claim, IPHONE_UA));
      expect(res.status).toBe(409);
      const refusal = (await res.json()) as { error: string; scan?: string };
      expect(refusal.error).toBe("already_scanned");
      expect(refusal.scan).toBeUndefined();
    }
    await settle();
    expect(pc.messages.filter((m) => m.code === "second_scan")).toHaveLength(3);
    expect(await loginStatus(login)).toMatchObject({ status: "scanned", other_scans: 3 });
    expect(countOf(w.rows, login.id, "scanned")).toBe(1);
  });

  it("a first scan without a claim: no later claim is its retry", async () => {
    const { login, ip } = await setUp();
    const pc = await openLoginSocket(login);
    await lostScan(login, null);
    const res = await hopCapturingWorker().send(scanRequest(login.url, ip, CLAIM));
    expect(res.status).toBe(409);
    expect(await errorOf(res)).toBe("already_scanned");
    await settle();
    expect(pc.messages.filter((m) => m.code === "second_scan")).toHaveLength(1);
  });

  it("a claim too short, too long or not a string, is 400 and scans nothing", async () => {
    const { login, ip } = await setUp();
    const w = hopCapturingWorker();
    for (const claim of ["short", 1234567890123456, "x".repeat(101)]) {
      const res = await w.send(
        new Request(`${BASE}/v1/logins/scan`, {
          method: "POST",
          headers: { "content-type": "application/json", "cf-connecting-ip": ip },
          body: JSON.stringify({ url: login.url, claim }),
        }),
      );
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toBe("validation_failed");
    }
    expect((await storedLogin(login.id))?.status).toBe("pending");
  });
});

describe("once the login is decided, or its window passed", () => {
  it("approved or denied: the same claim gets what any late scan gets, 409 already_scanned and a warning", async () => {
    for (const decide of ["approve", "deny"] as const) {
      const { key, login, ip } = await setUp();
      const w = hopCapturingWorker();
      const handle = await handleOf(await w.send(scanRequest(login.url, ip, CLAIM)));
      const decision =
        decide === "approve"
          ? await approve(key, login.id, { scan: handle, subject: "user-4" })
          : await w.send(
              new Request(`${BASE}/v1/logins/${login.id}/deny`, {
                method: "POST",
                headers: { "content-type": "application/json", "cf-connecting-ip": ip },
                body: JSON.stringify({ scan: handle }),
              }),
            );
      expect(decision.status).toBe(200);
      const late = await w.send(scanRequest(login.url, ip, CLAIM));
      expect(late.status).toBe(409);
      const refusal = (await late.json()) as { error: string; scan?: string };
      expect(refusal.error).toBe("already_scanned");
      expect(refusal.scan).toBeUndefined();
      const seen = await loginStatus(login);
      expect(seen).toMatchObject({ status: decide === "approve" ? "approved" : "denied" });
      expect(seen.other_scans).toBe(1);
    }
  });

  it("the approval window passed: the same claim gets 410 and the login expires", async () => {
    const { key, login, ip } = await setUp();
    const w = hopCapturingWorker();
    const handle = await handleOf(await w.send(scanRequest(login.url, ip, CLAIM)));
    await editLogin(login.id, (r) => {
      r.scanned_at = Date.now() - 10 * 60_000;
    });
    const late = await w.send(scanRequest(login.url, ip, CLAIM));
    expect(late.status).toBe(410);
    expect((await storedLogin(login.id))?.status).toBe("expired");
    expect((await approve(key, login.id, { scan: handle, subject: "user-5" })).status).toBe(410);
  });
});

describe("a busy moment", () => {
  it("the app's retries and strangers all at once: one scan counted, every retry 200 with the one handle, every stranger 409", async () => {
    const { key, login, ip } = await setUp();
    const pc = await openLoginSocket(login);
    const w = hopCapturingWorker();
    const stranger = freshIp();
    const calls = [
      ...Array.from({ length: 8 }, () => w.send(scanRequest(login.url, ip, CLAIM))),
      ...Array.from({ length: 4 }, () => w.send(scanRequest(login.url, stranger, undefined))),
    ];
    const answers = await Promise.all(calls);
    expect(answers.slice(0, 8).map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(answers.slice(8).map((r) => r.status)).toEqual(Array(4).fill(409));
    const handles = new Set(await Promise.all(answers.slice(0, 8).map(handleOf)));
    expect(handles.size).toBe(1);

    await settle();
    expect(countOf(w.rows, login.id, "scanned")).toBe(1);
    expect(pc.messages.filter((m) => m.status === "scanned")).toHaveLength(1);
    expect(pc.messages.filter((m) => m.code === "second_scan")).toHaveLength(4);
    const [live] = handles;
    expect((await storedLogin(login.id))?.scan_hash).toBe(await sha256Hex(live!));
    expect((await approve(key, login.id, { scan: live!, subject: "user-6" })).status).toBe(200);
  });
});
