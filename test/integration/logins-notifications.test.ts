// How the parties of a QR login are told of its progress: the company's webhook endpoint and the
// PC page's watch (long-poll and WebSocket, with the watch secret).
import { describe, expect, it } from "vitest";
import { eventually, hopsOf } from "./handoffs-helpers";
import { call, mintKey, mintSecretKey } from "./helpers";
import {
  approve,
  type CreatedLogin,
  createLogin,
  exchange,
  loginStatus,
  scanned,
} from "./logins-helpers";
import { deliveredTypes } from "./webhooks-helpers";

describe("QR login: webhooks", () => {
  it("a subscribed endpoint gets login.scanned, login.approved and login.exchanged", async () => {
    const hooks = await mintKey("secret", ["webhooks:write"]);
    const reg = await call("/v1/webhooks", {
      method: "POST",
      key: hooks,
      json: {
        // A local receiver that is not there: deliveries fail fast, their rows are what counts.
        url: "http://localhost:9/logins",
        events: [
          "login.scanned",
          "login.approved",
          "login.denied",
          "login.exchanged",
          "login.expired",
        ],
      },
    });
    expect(reg.status).toBe(201);
    const endpoint = ((await reg.json()) as { id: string }).id;
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const scan = await scanned(login);
    await approve(backend, login.id, { scan: scan.scan, subject: "u" });
    const { ticket } = (await loginStatus(login)) as { ticket: string };
    expect((await exchange(backend, ticket, login.verifier)).status).toBe(200);
    await hopsOf(login.id, 4);
    const types = await eventually(async () => {
      const made = await deliveredTypes(endpoint, login.id);
      return made.length >= 3 ? made : undefined;
    }, "three deliveries");
    expect(types).toEqual(["login.approved", "login.exchanged", "login.scanned"]);
  });
});

describe("QR login: the PC's watch", () => {
  it("long-polls until the status moves, with `since`", async () => {
    const backend = await mintSecretKey();
    const login: CreatedLogin = await createLogin(backend);
    const waiting = loginStatus(login, "&wait=10&since=pending");
    await scanned(login);
    expect(await waiting).toMatchObject({ status: "scanned", changed: true });
  });

  it("the WebSocket and the status need the watch secret (or a secret key)", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    expect((await call(`/v1/logins/${login.id}`)).status).toBe(401);
    expect((await call(`/v1/logins/${login.id}?watch=nope`)).status).toBe(403);
    expect((await call(`/v1/logins/${login.id}`, { key: backend })).status).toBe(200);
    const ws = await call(`/v1/logins/${login.id}/events?watch=nope`, {
      headers: { upgrade: "websocket" },
    });
    expect(ws.status).toBe(403);
    expect((await call(`/v1/logins/${login.id}/events?watch=${login.watch}`)).status).toBe(426);
  });
});
