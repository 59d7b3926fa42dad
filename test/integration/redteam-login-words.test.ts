// Red team, RFC 10027 "cross-device consent phishing": a publishable key is public (it sits in the
// shop's page) and its `Origin` check binds browsers only, so anyone with curl creates QR logins
// with it, with any `metadata`. Shown on the app's approval screen as the shop's words ("Approve
// to receive your refund"), the attacker's text would talk the victim into approving the
// attacker's PC. The login keeps who made it, `created_by` (the handoff's field: `server` for a
// secret or admin key, `page` for a publishable key), and every answer that carries the metadata
// to the app or the backend carries it too, so the app shows the metadata as the shop's words
// only from `server`.
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, call, mintKey, mintSecretKey } from "./helpers";
import { type CreatedLogin, createLogin, editLogin, loginStatus, scanned } from "./logins-helpers";

const SHOP = "https://shop.example";
const REFUND = { title: "Approve to receive your refund", site: "Acme web" };

let pk: string;
let secret: string;
beforeAll(async () => {
  [pk, secret] = await Promise.all([
    mintKey("publishable", ["logins:write"], [SHOP]),
    mintSecretKey(),
  ]);
});

/** The attacker: curl with the shop's public key, a forged `Origin` and its own words. */
const attackerLogin = () =>
  createLogin(pk, {
    body: { metadata: REFUND },
    headers: { origin: SHOP, "user-agent": "curl/8.5.0" },
  });

/** The company's backend reading the login with its secret key (as before approving). */
async function keyView(login: CreatedLogin): Promise<Record<string, unknown>> {
  const res = await call(`/v1/logins/${login.id}`, { key: secret });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe("a login's metadata reaches the app with who wrote it", () => {
  it("a publishable key's login says created_by: page in the scan, the watch, the long-poll and the backend's view", async () => {
    const login = await attackerLogin();
    const scan = await scanned(login);
    // The contract is kept: the metadata still arrives as written, now labelled.
    expect(scan).toMatchObject({ metadata: REFUND, created_by: "page" });
    expect(await loginStatus(login)).toMatchObject({ metadata: REFUND, created_by: "page" });
    const polled = await loginStatus(login, "&wait=1&since=pending");
    expect(polled).toMatchObject({ created_by: "page", changed: true });
    expect(await keyView(login)).toMatchObject({ metadata: REFUND, created_by: "page" });
  });

  it("a secret key's login, and the admin key's, say created_by: server", async () => {
    for (const key of [secret, ADMIN_KEY]) {
      const login = await createLogin(key, { body: { metadata: { title: "Log in to Acme" } } });
      expect((await scanned(login)).created_by, key.slice(0, 8)).toBe("server");
      expect((await loginStatus(login)).created_by).toBe("server");
    }
  });

  it("a secret key stating the PC's `client` is still the server", async () => {
    const login = await createLogin(secret, {
      body: { client: { user_agent: "Mozilla/5.0 (Windows NT 10.0) Chrome/130.0", origin: SHOP } },
    });
    expect((await scanned(login)).created_by).toBe("server");
  });

  it("a record written before created_by existed answers null, never server", async () => {
    const login = await createLogin(secret, { body: { metadata: REFUND } });
    await editLogin(login.id, (r) => {
      delete r.created_by;
    });
    const scan = await scanned(login);
    expect(scan).toMatchObject({ metadata: REFUND, created_by: null });
    expect(await loginStatus(login)).toMatchObject({ created_by: null });
    expect(await keyView(login)).toMatchObject({ created_by: null });
  });

  it("the body cannot claim to be the server: a created_by in it is ignored", async () => {
    const res = await call("/v1/logins", {
      method: "POST",
      key: pk,
      headers: { origin: SHOP },
      json: {
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        metadata: REFUND,
        created_by: "server",
      },
    });
    expect(res.status).toBe(201);
    const made = (await res.json()) as CreatedLogin;
    expect((await loginStatus(made)).created_by).toBe("page");
  });
});
