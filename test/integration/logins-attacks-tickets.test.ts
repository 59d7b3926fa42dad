// QR login attacks on what only the company's backend may do, each done as an attacker would and
// shown to fail: a publishable key holding every handle, a stolen or forged ticket, and 100
// racing approvals or exchanges (the login's object decides once).
import { describe, expect, it } from "vitest";
import { call, mintKey, mintSecretKey } from "./helpers";
import {
  approve,
  createLogin,
  errorOf,
  exchange,
  loginStatus,
  newVerifier,
  scanned,
} from "./logins-helpers";

const ORIGIN = "https://shop.example";

/** An approved login and everything each party holds. */
async function approvedLogin() {
  const backend = await mintSecretKey();
  const login = await createLogin(backend);
  const scan = await scanned(login);
  const ok = await approve(backend, login.id, { scan: scan.scan, subject: "user_42" });
  expect(ok.status).toBe(200);
  const { ticket } = (await loginStatus(login)) as { ticket: string };
  return { backend, login, scan, ticket };
}

describe("a publishable key (public in the page) can create a login and nothing else", () => {
  it("cannot read, long-poll, watch, approve, deny or exchange — even holding the handles", async () => {
    const pk = await mintKey("publishable", ["logins:write"], [ORIGIN]);
    const { login, scan, ticket } = await approvedLogin();
    const asPage = { key: pk, headers: { origin: ORIGIN } };
    const attempts: [string, Response][] = [
      ["GET", await call(`/v1/logins/${login.id}`, asPage)],
      ["GET + watch", await call(`/v1/logins/${login.id}?watch=${login.watch}`, asPage)],
      ["long-poll", await call(`/v1/logins/${login.id}?wait=1`, asPage)],
      [
        "events",
        await call(`/v1/logins/${login.id}/events`, {
          ...asPage,
          headers: { ...asPage.headers, upgrade: "websocket" },
        }),
      ],
      [
        "approve",
        await call(`/v1/logins/${login.id}/approve`, {
          ...asPage,
          method: "POST",
          json: { scan: scan.scan, subject: "attacker" },
        }),
      ],
      [
        "deny",
        await call(`/v1/logins/${login.id}/deny`, {
          ...asPage,
          method: "POST",
          json: { scan: scan.scan },
        }),
      ],
      [
        "exchange",
        await call("/v1/logins/exchange", {
          ...asPage,
          method: "POST",
          json: { ticket, code_verifier: login.verifier },
        }),
      ],
    ];
    for (const [what, res] of attempts) {
      expect(res.status, what).toBe(403);
      expect(await errorOf(res), what).toBe("forbidden");
    }
    // Nothing moved: the rightful backend still exchanges once.
    expect((await loginStatus(login)).status).toBe("approved");
  });

  it("creates only from its allowed origin", async () => {
    const pk = await mintKey("publishable", ["logins:write"], [ORIGIN]);
    const json = { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" };
    const elsewhere = await call("/v1/logins", {
      method: "POST",
      key: pk,
      json,
      headers: { origin: "https://evil.example" },
    });
    expect(elsewhere.status).toBe(403);
    const home = await call("/v1/logins", {
      method: "POST",
      key: pk,
      json,
      headers: { origin: ORIGIN },
    });
    expect(home.status).toBe(201);
  });
});

describe("a stolen ticket", () => {
  it("is useless without the PC page's verifier: a wrong one burns it (400), the owner then gets 409", async () => {
    const { backend, login, ticket } = await approvedLogin();
    const stolen = await exchange(backend, ticket, newVerifier());
    expect(stolen.status).toBe(400);
    expect(await errorOf(stolen)).toBe("invalid_grant");
    const owner = await exchange(backend, ticket, login.verifier);
    expect(owner.status).toBe(409);
    expect(await errorOf(owner)).toBe("already_exchanged");
    expect((await loginStatus(login)).status).toBe("burnt");
  });

  it("a forged ticket is refused before storage and burns nothing", async () => {
    const { backend, login, ticket } = await approvedLogin();
    const forged = ticket.slice(0, 22) + (ticket[22] === "0" ? "1" : "0") + ticket.slice(23);
    const res = await exchange(backend, forged, login.verifier);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toBe("invalid_grant");
    expect((await exchange(backend, ticket.toLowerCase(), login.verifier)).status).toBe(200);
  });

  it("is not handed out before approval, nor by a message on the socket", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    expect((await loginStatus(login)).ticket).toBeUndefined();
    await scanned(login);
    expect((await loginStatus(login)).ticket).toBeUndefined();
  });
});

describe("races: the object decides once", () => {
  it("100 concurrent approves → exactly one", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const scan = await scanned(login);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        approve(backend, login.id, { scan: scan.scan, subject: `user_${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
  });

  it("100 concurrent exchanges → exactly one", async () => {
    const { backend, login, ticket } = await approvedLogin();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => exchange(backend, ticket, login.verifier)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
  });
});
