// Red team, RFC 10027 (BCP 247) against the QR login, the attacks the other login tests leave
// out: an exchange racing a burn, an approval racing the app's own denial, a replay of every
// handle once the login is spent, the deadlines hit to the millisecond, and the secrets (link
// token, watch, scan handle, ticket, verifier) looked for in every hop row — what the hop log
// and the webhooks are made of — even when the callers' Referers carry them.
import { describe, expect, it } from "vitest";
import { APPROVE_WINDOW_MS, TICKET_TTL_MS } from "../../src/core/login";
import { s256Challenge } from "../../src/core/login-ticket";
import { ANDROID_APP_UA, DESKTOP_UA } from "./handoffs-helpers";
import { atClock, BASE, call, hopCapturingWorker, mintSecretKey, statusTally } from "./helpers";
import {
  approve,
  createLogin,
  exchange,
  loginStatus,
  newVerifier,
  scanLogin,
  scanned,
  storedLogin,
} from "./logins-helpers";

/** A login scanned by the app: the backend's key, the login and the scan handle. */
async function scannedLogin() {
  const backend = await mintSecretKey();
  const login = await createLogin(backend);
  const scan = await scanned(login);
  return { backend, login, scan: scan.scan };
}

/** A login approved by the backend: also its ticket. */
async function approvedLogin() {
  const s = await scannedLogin();
  expect((await approve(s.backend, s.login.id, { scan: s.scan, subject: "user_42" })).status).toBe(
    200,
  );
  const { ticket } = (await loginStatus(s.login)) as { ticket: string };
  return { ...s, ticket };
}

const deny = (id: string, scan: string) =>
  call(`/v1/logins/${id}/deny`, { method: "POST", json: { scan, reason: "not me" } });

describe("races the object must decide once", () => {
  it("the rightful exchange racing a thief's wrong verifiers: at most one subject, and the state says who won", async () => {
    for (let round = 0; round < 3; round++) {
      const { backend, login, ticket } = await approvedLogin();
      const calls = Array.from({ length: 20 }, (_, i) =>
        exchange(backend, ticket, i % 2 === 0 ? login.verifier : newVerifier()),
      );
      const answers = await Promise.all(calls);
      const ok = answers.filter((r) => r.status === 200);
      const tally = statusTally(answers);
      const rec = (await storedLogin(login.id))!;
      if (ok.length === 1) {
        // The owner won: every thief after it is told the ticket is spent, none burns it.
        expect(rec.status).toBe("exchanged");
        expect(await ok[0]!.json()).toMatchObject({ login_id: login.id, subject: "user_42" });
      } else {
        // A thief won: the ticket is burnt, so nobody — the owner included — got the subject.
        expect(ok).toHaveLength(0);
        expect(rec.status).toBe("burnt");
        expect(tally[400]).toBe(1);
      }
      expect((tally[200] ?? 0) + (tally[400] ?? 0) + (tally[409] ?? 0)).toBe(20);
      expect(rec.subject).toBeNull();
      expect(rec.claims).toBeNull();
    }
  });

  it("the backend's approval racing the app's own denial: one decision, and the PC sees that one", async () => {
    for (let round = 0; round < 3; round++) {
      const { backend, login, scan } = await scannedLogin();
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0 ? approve(backend, login.id, { scan, subject: "u" }) : deny(login.id, scan),
        ),
      );
      // One decision wins; every call of it is answered 200 (a repeat changes nothing), every
      // call of the other is refused.
      const winner = answers.findIndex((r) => r.status === 200);
      const won = answers.filter((_, i) => i % 2 === winner % 2).map((r) => r.status);
      const lost = answers.filter((_, i) => i % 2 !== winner % 2).map((r) => r.status);
      expect(new Set(won)).toEqual(new Set([200]));
      expect(lost.filter((s) => s === 200)).toEqual([]);
      const seen = await loginStatus(login);
      if (winner % 2 === 0) {
        expect(seen.status).toBe("approved");
        expect(typeof seen.ticket).toBe("string");
      } else {
        expect(seen).toMatchObject({ status: "denied", denied_by: "app" });
        expect(seen.ticket).toBeUndefined();
      }
    }
  });
});

describe("a spent login's handles are worth nothing", () => {
  it("after the exchange: the link, the scan handle, the ticket and the verifier replayed", async () => {
    const { backend, login, scan, ticket } = await approvedLogin();
    expect((await exchange(backend, ticket, login.verifier)).status).toBe(200);
    // The QR scanned again (it is still within its ttl): no handle, no context.
    const rescan = await scanLogin(login.url);
    expect(rescan.status).toBe(409);
    const body = await rescan.text();
    expect(body).not.toContain('"scan"');
    expect(body).not.toContain("requester");
    // The old scan handle decides nothing, the ticket and verifier give no second subject.
    expect((await approve(backend, login.id, { scan, subject: "attacker" })).status).toBe(409);
    expect((await deny(login.id, scan)).status).toBe(409);
    const again = await exchange(backend, ticket, login.verifier);
    expect(again.status).toBe(409);
    const refused = await again.text();
    expect(JSON.parse(refused).error).toBe("already_exchanged");
    expect(refused).not.toContain("user_42");
    const seen = await loginStatus(login);
    expect(seen).toMatchObject({ status: "exchanged" });
    expect(seen.ticket).toBeUndefined();
  });
});

describe("deadlines, to the millisecond (deny by default)", () => {
  it("approve 1 ms before the approval window closes passes; at its close it is 410", async () => {
    const early = await scannedLogin();
    const at = (await storedLogin(early.login.id))!.scanned_at! + APPROVE_WINDOW_MS;
    const before = await atClock(at - 1, () =>
      approve(early.backend, early.login.id, { scan: early.scan, subject: "u" }),
    );
    expect(before.status).toBe(200);

    const late = await scannedLogin();
    const close = (await storedLogin(late.login.id))!.scanned_at! + APPROVE_WINDOW_MS;
    const onTime = await atClock(close, () =>
      approve(late.backend, late.login.id, { scan: late.scan, subject: "u" }),
    );
    expect(onTime.status).toBe(410);
    expect((await storedLogin(late.login.id))!.ticket_hash).toBeNull();
  });

  it("exchange 1 ms before the ticket's end passes; at its end it is 410 and hands out nothing", async () => {
    const early = await approvedLogin();
    const end = (await storedLogin(early.login.id))!.approved_at! + TICKET_TTL_MS;
    const before = await atClock(end - 1, () =>
      exchange(early.backend, early.ticket, early.login.verifier),
    );
    expect(before.status).toBe(200);

    const late = await approvedLogin();
    const close = (await storedLogin(late.login.id))!.approved_at! + TICKET_TTL_MS;
    const onTime = await atClock(close, () =>
      exchange(late.backend, late.ticket, late.login.verifier),
    );
    expect(onTime.status).toBe(410);
    expect(await onTime.text()).not.toContain("user_42");
  });

  it("a QR scanned at its expires_at is refused (410): its life is the ttl, not a second more", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend, { body: { ttl: 30 } });
    const before = await atClock(login.expires_at - 1000, () => scanLogin(login.url));
    expect(before.status).toBe(200);
    const other = await createLogin(backend, { body: { ttl: 30 } });
    const onTime = await atClock(other.expires_at, () => scanLogin(other.url));
    expect(onTime.status).toBe(410);
    expect((await loginStatus(other)).scanned_at).toBeNull();
  });
});

describe("no secret of the login reaches a hop row (the hop log, the export, the webhooks)", () => {
  it("through create, image, scan, approve and exchange, even when every Referer carries them", async () => {
    const backend = await mintSecretKey();
    const { send, rows } = hopCapturingWorker();
    const post = (path: string, json: unknown, headers: Record<string, string>, key?: string) =>
      send(
        new Request(`${BASE}${path}`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(key ? { authorization: `Bearer ${key}` } : {}),
            ...headers,
          },
          body: JSON.stringify(json),
        }),
      );
    const verifier = newVerifier();
    const created = await post(
      "/v1/logins",
      { code_challenge: await s256Challenge(verifier) },
      { "user-agent": DESKTOP_UA, referer: `https://shop.example/login?verifier=${verifier}` },
      backend,
    );
    expect(created.status).toBe(201);
    const login = (await created.json()) as { id: string; url: string; watch: string };
    const token = login.url.slice(login.url.lastIndexOf("/") + 1);
    const leaky = `https://shop.example/login?watch=${login.watch}&token=${token}`;
    const image = await send(
      new Request(`${BASE}/qr/l/${token}.svg`, { headers: { referer: leaky } }),
    );
    expect(image.status).toBe(200);
    const scanRes = await post(
      "/v1/logins/scan",
      { url: login.url },
      { "user-agent": ANDROID_APP_UA, referer: `${BASE}/l/${token}` },
    );
    expect(scanRes.status).toBe(200);
    const { scan } = (await scanRes.json()) as { scan: string };
    const approved = await post(
      `/v1/logins/${login.id}/approve`,
      { scan, subject: "user_42" },
      { referer: `https://backend.example/approve?scan=${scan}` },
      backend,
    );
    expect(approved.status).toBe(200);
    const view = await call(`/v1/logins/${login.id}?watch=${login.watch}`);
    const { ticket } = (await view.json()) as { ticket: string };
    const exchanged = await post(
      "/v1/logins/exchange",
      { ticket, code_verifier: verifier },
      { referer: `https://shop.example/cb?ticket=${ticket}&verifier=${verifier}` },
      backend,
    );
    expect(exchanged.status).toBe(200);

    const hops = rows.filter((r) => r.subject_id === login.id).map((r) => r.hop);
    expect(hops).toEqual(
      expect.arrayContaining(["created", "rendered", "scanned", "approved", "exchanged"]),
    );
    const text = JSON.stringify(rows);
    // The token's MAC (its last 13 characters) is what makes it a capability; the id is public.
    for (const [name, secret] of Object.entries({
      token: token.slice(-13),
      watch: login.watch,
      scan,
      ticket,
      verifier,
      subject: "user_42",
    })) {
      expect(text.includes(secret), name).toBe(false);
    }
    // What a Referer leaves is its host.
    expect(text).toContain("shop.example");
  });
});
