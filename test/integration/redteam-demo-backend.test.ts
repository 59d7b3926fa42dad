// Red team: the demo's "company backend" (`POST /demo/login/approve`) is a keyless endpoint that
// approves QR logins with a real secret key of the deployment (logins:write). Wherever the demo
// is on — development, a staging bridge, `QB_DEMO=true` — an attacker opens the company's real
// login page, scans its QR with a script (anyone may) and has the demo backend approve it: the
// company's backend then exchanges the ticket and is handed the demo's user as if its own app had
// approved. The demo backend must approve only the demo page's own logins.
import { describe, expect, it } from "vitest";
import { call, mintKey, mintSecretKey } from "./helpers";
import { createLogin, errorOf, exchange, loginStatus, scanned } from "./logins-helpers";

const SHOP = "https://shop.example";

describe("the demo backend approves only the demo page's logins", () => {
  it("a login of the company's page, scanned by the attacker, is refused and stays unapproved", async () => {
    const companyBackend = await mintSecretKey();
    const companyPage = await mintKey("publishable", ["logins:write"], [SHOP]);
    // The attacker's browser on the company's login page: the embed creates the login.
    const login = await createLogin(companyPage, { headers: { origin: SHOP } });
    const scan = await scanned(login);
    const res = await call("/demo/login/approve", {
      method: "POST",
      json: { id: login.id, scan: scan.scan },
    });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toBe("forbidden");
    const seen = await loginStatus(login);
    expect(seen.status).toBe("scanned");
    expect(seen.ticket).toBeUndefined();
    // Nothing for the company's backend to exchange.
    const ticketless = await exchange(companyBackend, "0".repeat(48), login.verifier);
    expect(ticketless.status).toBe(400);
  });

  it("a login made by a company's backend (secret key) is refused too", async () => {
    const login = await createLogin(await mintSecretKey());
    const scan = await scanned(login);
    const res = await call("/demo/login/approve", {
      method: "POST",
      json: { id: login.id, scan: scan.scan },
    });
    expect(res.status).toBe(403);
    expect((await loginStatus(login)).status).toBe("scanned");
  });

  it("an id that names no login is the API's 404, as before", async () => {
    const res = await call("/demo/login/approve", {
      method: "POST",
      json: { id: "0".repeat(20), scan: "s".repeat(43) },
    });
    expect(res.status).toBe(404);
  });
});
