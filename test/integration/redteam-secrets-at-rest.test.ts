// Red team: secrets where a reader of logs or of the hop log would find them. The hop log is
// open to any stats:read key (and to whoever reads the R2 archive), the Worker's log to whoever
// operates it: neither may hold an API key, a watch secret, a handoff's payload, a claim, a
// login's scan handle, ticket, verifier, subject or claims — on success or on any refusal.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createHandoff, resolve, scan } from "./handoffs-helpers";
import { ADMIN_KEY, call, mintKey, mintSecretKey } from "./helpers";
import { archivedHops, eventually } from "./hop-helpers";
import {
  approve,
  createLogin,
  exchange,
  loginStatus,
  newVerifier,
  scanned,
} from "./logins-helpers";

const logged: string[] = [];
const spies: { mockRestore(): void }[] = [];
beforeAll(() => {
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[level].bind(console);
    spies.push(
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(
          args
            .map((a) =>
              a instanceof Error ? `${a.message} ${a.stack}` : (JSON.stringify(a) ?? String(a)),
            )
            .join(" "),
        );
        original(...args);
      }),
    );
  }
});
afterAll(() => {
  for (const spy of spies) spy.mockRestore();
});

describe("a full handoff and QR login, with the refusals an attacker causes", () => {
  it("leave no secret in the Worker's log or in the hop log", async () => {
    const key = await mintSecretKey();
    const pk = await mintKey("publishable", ["logins:write"], ["https://shop.example"]);
    const secrets: string[] = [key, pk, ADMIN_KEY];

    // A confirm:"pc" handoff: created, scanned, claimed, approved, redeemed.
    const h = await createHandoff(key, {
      payload: { session: "payload-secret-7f3a" },
      confirm: "pc",
    });
    await scan(h);
    const { claim } = (await (await resolve(h.url)).json()) as { claim: string };
    await call(`/v1/handoffs/${h.id}/approve`, { method: "POST", json: { watch: h.watch } });
    expect((await resolve(h.url, { claim })).status).toBe(200);
    secrets.push(h.watch, claim, "payload-secret-7f3a");

    // A QR login made by the page, approved, then attacked with a wrong verifier (burnt).
    const login = await createLogin(pk, { headers: { origin: "https://shop.example" } });
    const s = await scanned(login);
    await approve(key, login.id, {
      scan: s.scan,
      subject: "subject-secret-9c1d",
      claims: { email: "claims-secret@example.com" },
    });
    const { ticket } = (await loginStatus(login)) as { ticket: string };
    expect((await exchange(key, ticket, newVerifier())).status).toBe(400);
    secrets.push(
      login.watch,
      s.scan,
      ticket,
      login.verifier,
      "subject-secret-9c1d",
      "claims-secret",
    );

    // Refusals: a wrong admin key, a near-miss secret key, a forged token, a forged ticket.
    await call("/v1/keys", { key: `${ADMIN_KEY}x` });
    await call("/v1/handoffs", { method: "POST", key: `${key}x`, json: {} });
    await resolve(h.url.replace(/.{4}$/, "0000"));
    await exchange(key, `${ticket.slice(0, -4)}0000`, login.verifier);
    secrets.push(`${ADMIN_KEY}x`, `${key}x`);

    const hops = await eventually(async () => {
      const rows = [
        ...(await archivedHops({ subject_id: h.id })),
        ...(await archivedHops({ subject_id: login.id })),
      ];
      return rows.length >= 8 ? rows : undefined;
    }, "the handoff's and the login's hops");
    const hopText = JSON.stringify(hops);
    const logText = logged.join("\n");
    for (const secret of secrets) {
      expect(hopText, "hop log").not.toContain(secret);
      expect(logText, "Worker log").not.toContain(secret);
    }
  });
});
