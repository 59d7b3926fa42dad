// Denying a QR login: from the app with its scan handle, or from the backend with its key; the
// PC is told and nobody can approve after.
import { describe, expect, it } from "vitest";
import { eventually, hopsOf } from "./handoffs-helpers";
import { call, mintSecretKey } from "./helpers";
import { approve, createLogin, loginStatus, openLoginSocket, scanned } from "./logins-helpers";

describe("QR login: deny", () => {
  it("the app denies with its scan handle: the PC is told, nobody can approve after", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const socket = await openLoginSocket(login);
    const scan = await scanned(login);
    const no = await call(`/v1/logins/${login.id}/deny`, {
      method: "POST",
      json: { scan: scan.scan, reason: "not_me" },
    });
    expect(no.status).toBe(200);
    expect(await no.json()).toMatchObject({ status: "denied" });
    await eventually(() => socket.messages.some((m) => m.status === "denied"), "denied push");
    expect(await loginStatus(login)).toMatchObject({
      status: "denied",
      denied_by: "app",
      denied_reason: "not_me",
    });
    const late = await approve(backend, login.id, { scan: scan.scan, subject: "u" });
    expect(late.status).toBe(410);
    expect(await hopsOf(login.id, 3)).toEqual(expect.arrayContaining(["denied"]));
  });

  it("the backend denies with its key; a wrong scan handle is refused", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const scan = await scanned(login);
    const wrong = await call(`/v1/logins/${login.id}/deny`, {
      method: "POST",
      json: { scan: "x".repeat(43) },
    });
    expect(wrong.status).toBe(403);
    const no = await call(`/v1/logins/${login.id}/deny`, {
      method: "POST",
      key: backend,
      json: { scan: scan.scan },
    });
    expect(no.status).toBe(200);
    expect(await loginStatus(login)).toMatchObject({ status: "denied", denied_by: "backend" });
  });
});
