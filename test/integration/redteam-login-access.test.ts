import { describe, expect, it } from "vitest";
import { signTicket } from "../../src/core/login-ticket";
import { DESKTOP_UA, eventually } from "./handoffs-helpers";
import { call, mintKey, mintSecretKey, testKeyring } from "./helpers";
import {
  approve,
  BERLIN,
  type CreatedLogin,
  createLogin,
  editLogin,
  errorOf,
  exchange,
  loginStatus,
  SAO_PAULO,
  scanLogin,
  scanned,
} from "./logins-helpers";

/**
 * A ticket with a valid MAC for `id`, as if it had leaked before the login was approved: only
 * the login's object can refuse it then.
 */
async function ticketFor(id: string): Promise<string> {
  const ring = await testKeyring();
  return signTicket(ring, id);
}

describe("exchanging what was never granted", () => {
  it("before approval (pending, then scanned): 409, and the login is not burnt", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const ticket = await ticketFor(login.id);
    const early = await exchange(backend, ticket, login.verifier);
    expect(early.status).toBe(409);
    const scan = await scanned(login);
    const scannedTry = await exchange(backend, ticket, login.verifier);
    expect(scannedTry.status).toBe(409);
    expect((await loginStatus(login)).status).toBe("scanned");
    // The real approval still works, and its ticket is exchanged once.
    expect((await approve(backend, login.id, { scan: scan.scan, subject: "u1" })).status).toBe(200);
    expect((await exchange(backend, ticket, login.verifier)).status).toBe(200);
    const replay = await exchange(backend, ticket, login.verifier);
    expect(replay.status).toBe(409);
    expect(await errorOf(replay)).toBe("already_exchanged");
  });

  it("after a denial: 410 gone, no subject handed out", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const scan = await scanned(login);
    const deny = await call(`/v1/logins/${login.id}/deny`, {
      method: "POST",
      json: { scan: scan.scan },
    });
    expect(deny.status).toBe(200);
    const res = await exchange(backend, await ticketFor(login.id), login.verifier);
    expect(res.status).toBe(410);
    expect(await res.text()).not.toContain('subject":"');
  });

  it("after the ticket's lifetime: 410 expired, even with the right verifier", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const scan = await scanned(login);
    await approve(backend, login.id, { scan: scan.scan, subject: "u1" });
    const { ticket } = (await loginStatus(login)) as { ticket: string };
    await editLogin(login.id, (r) => {
      r.approved_at = Date.now() - 10 * 60_000;
    });
    const res = await exchange(backend, ticket, login.verifier);
    expect(res.status).toBe(410);
    expect(await errorOf(res)).toBe("expired");
  });
});

describe("approving a login that is not the approver's", () => {
  it("the scan handle of the attacker's own login does not approve the victim's", async () => {
    const backend = await mintSecretKey();
    const victim = await createLogin(backend);
    const attacker = await createLogin(backend);
    const victimScan = await scanned(victim);
    const attackerScan = await scanned(attacker);
    const res = await approve(backend, victim.id, { scan: attackerScan.scan, subject: "attacker" });
    expect(res.status).toBe(403);
    const deny = await call(`/v1/logins/${victim.id}/deny`, {
      method: "POST",
      json: { scan: attackerScan.scan },
    });
    expect(deny.status).toBe(403);
    expect((await loginStatus(victim)).status).toBe("scanned");
    const ok = await approve(backend, victim.id, { scan: victimScan.scan, subject: "victim" });
    expect(ok.status).toBe(200);
  });

  it("approve needs a secret key with logins:write: another scope 403, a publishable key 403", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const scan = await scanned(login);
    const keys = [
      await mintKey("secret", ["handoffs:write", "stats:read"]),
      await mintKey("publishable", ["logins:write"], ["https://shop.example"]),
    ];
    for (const key of keys) {
      const res = await call(`/v1/logins/${login.id}/approve`, {
        method: "POST",
        key,
        json: { scan: scan.scan, subject: "attacker" },
        headers: { origin: "https://shop.example" },
      });
      expect(res.status).toBe(403);
    }
    expect((await loginStatus(login)).status).toBe("scanned");
  });
});

describe("reading a login to learn its ticket", () => {
  async function approvedLogin(): Promise<{ login: CreatedLogin; ticket: string; key: string }> {
    const key = await mintSecretKey();
    const login = await createLogin(key);
    const scan = await scanned(login);
    await approve(key, login.id, { scan: scan.scan, subject: "u1" });
    const { ticket } = (await loginStatus(login)) as { ticket: string };
    return { login, ticket, key };
  }

  it("another login's watch secret and a key without logins:write are refused everywhere", async () => {
    const { login, ticket } = await approvedLogin();
    const other = await createLogin(await mintSecretKey());
    const statsKey = await mintKey("secret", ["stats:read"]);
    const attempts = [
      call(`/v1/logins/${login.id}?watch=${other.watch}`),
      call(`/v1/logins/${login.id}?watch=${other.watch}&wait=1`),
      call(`/v1/logins/${login.id}/events?watch=${other.watch}`, {
        headers: { upgrade: "websocket" },
      }),
      call(`/v1/logins/${login.id}`, { key: statsKey }),
      call(`/v1/logins/${login.id}`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect([401, 403]).toContain(res.status);
      expect(await res.text()).not.toContain(ticket);
    }
  });

  it("the PC's own watch never shows who approved (subject, claims): only the exchange does", async () => {
    const key = await mintSecretKey();
    const login = await createLogin(key);
    const socket = await call(`/v1/logins/${login.id}/events?watch=${login.watch}`, {
      headers: { upgrade: "websocket" },
    });
    const texts: string[] = [];
    socket.webSocket!.addEventListener("message", (e) => {
      texts.push(String(e.data));
    });
    socket.webSocket!.accept();
    const scan = await scanned(login);
    await approve(key, login.id, {
      scan: scan.scan,
      subject: "user-secret-subject",
      claims: { email: "secret-claims@example.com" },
    });
    await eventually(() => texts.some((t) => t.includes('"approved"')), "approved pushed");
    const view = await call(`/v1/logins/${login.id}?watch=${login.watch}`);
    const seen = [...texts, await view.text()].join("\n");
    expect(seen).toContain('"approved"');
    expect(seen).not.toContain("user-secret-subject");
    expect(seen).not.toContain("secret-claims");
    expect(seen).not.toContain(scan.scan);
  });

  it("once exchanged, neither the status nor a new socket hands the ticket out again", async () => {
    const { login, ticket, key } = await approvedLogin();
    expect((await exchange(key, ticket, login.verifier)).status).toBe(200);
    const view = await call(`/v1/logins/${login.id}?watch=${login.watch}`);
    expect(await view.text()).not.toContain(ticket);
    const ws = await call(`/v1/logins/${login.id}/events?watch=${login.watch}`, {
      headers: { upgrade: "websocket" },
    });
    expect(ws.status).toBe(101);
    const first = await new Promise<string>((done) => {
      ws.webSocket!.addEventListener("message", (e) => done(String(e.data)));
      ws.webSocket!.accept();
    });
    expect(first).toContain('"exchanged"');
    expect(first).not.toContain(ticket);
  });
});

describe("racing the scan", () => {
  it("50 phones scan at once: one gets the handle, 49 get 409 already_scanned", async () => {
    const login = await createLogin(await mintSecretKey());
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => scanLogin(login.url, { ip: `192.0.2.${i + 1}` })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect((await loginStatus(login)).other_scans).toBe(49);
  });
});

describe("login fixation: the attacker relays its own QR to a victim's app", () => {
  it("the victim sees the attacker's place and network, and a distance policy refuses it", async () => {
    // The attacker scripts the company's page: its publishable key, a forged Origin and a
    // desktop user agent — all it can choose. Cloudflare says where it really is.
    const origin = "https://shop.example";
    const pk = await mintKey("publishable", ["logins:write"], [origin]);
    const login = await createLogin(pk, {
      headers: { origin, "user-agent": DESKTOP_UA },
      cf: SAO_PAULO,
      ip: "198.18.0.9",
      body: { metadata: { title: "Claim your prize" } },
    });
    // It cannot state a place of its choosing.
    const stated = await call("/v1/logins", {
      method: "POST",
      key: pk,
      headers: { origin },
      json: {
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        client: { ip: "203.0.113.10", user_agent: DESKTOP_UA, origin },
      },
    });
    expect(stated.status).toBe(403);

    const scan = await scanned(login, { ip: "203.0.113.55", cf: BERLIN });
    expect(scan.requester).toMatchObject({ city: "São Paulo", country: "BR", origin });
    const proximity = scan.proximity as { same_network: boolean; distance_km: number };
    expect(proximity.same_network).toBe(false);
    expect(proximity.distance_km).toBeGreaterThan(9000);

    const backend = await mintSecretKey();
    const res = await approve(backend, login.id, {
      scan: scan.scan,
      subject: "victim",
      max_distance_km: 100,
    });
    expect(res.status).toBe(409);
    expect(await errorOf(res)).toBe("proximity_failed");
    const seen = await loginStatus(login);
    expect(seen.status).toBe("denied");
    expect(seen.ticket).toBeUndefined();
  });
});
