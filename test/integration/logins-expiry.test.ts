// QR login deadlines (deny by default): a login expires while pending, while waiting for the
// approval and while its ticket waits to be exchanged; the alarm follows each deadline and
// deletes everything after the grace period. Time is moved by editing the stored record.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { APPROVE_WINDOW_MS, LOGIN_PURGE_GRACE_MS, TICKET_TTL_MS } from "../../src/core/login";
import { eventually, hopsOf, signedToken } from "./handoffs-helpers";
import { call, mintSecretKey } from "./helpers";
import {
  approve,
  createLogin,
  editLogin,
  errorOf,
  exchange,
  loginStatus,
  loginStubOf,
  openLoginSocket,
  scanLogin,
  scanned,
} from "./logins-helpers";

const alarmOf = (id: string) =>
  runInDurableObject(loginStubOf(id), (_o, state) => state.storage.getAlarm());

describe("QR login: expiry at each stage", () => {
  it("pending: the alarm expires it at expires_at, the PC is told, a late scan gets 410", async () => {
    const login = await createLogin(await mintSecretKey());
    expect(await alarmOf(login.id)).toBe(login.expires_at);
    const socket = await openLoginSocket(login);
    // Not due yet: the alarm re-arms and nothing changes.
    expect(await runDurableObjectAlarm(loginStubOf(login.id))).toBe(true);
    expect((await loginStatus(login)).status).toBe("pending");
    await editLogin(login.id, (r) => {
      r.expires_at = Date.now() - 1;
    });
    expect(await runDurableObjectAlarm(loginStubOf(login.id))).toBe(true);
    await eventually(() => socket.messages.some((m) => m.status === "expired"), "expired push");
    expect(await loginStatus(login)).toMatchObject({ status: "expired", deadline: null });
    const late = await scanLogin(login.url);
    expect(late.status).toBe(410);
    expect(await errorOf(late)).toBe("expired");
    expect(await hopsOf(login.id, 2)).toEqual(expect.arrayContaining(["created", "expired"]));
  });

  it("pending: a token past its expiry is refused at the edge (410) without asking the object", async () => {
    const login = await createLogin(await mintSecretKey());
    const old = { token: await signedToken(Math.floor(Date.now() / 1000) - 1, login.id, "l") };
    const res = await scanLogin(`https://qr.test/l/${old.token}`);
    expect(res.status).toBe(410);
    expect((await loginStatus(login)).status).toBe("pending");
  });

  it("scanned: unapproved within the approval window → expired; approve gets 410", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const scan = await scanned(login);
    const { scanned_at } = (await loginStatus(login)) as { scanned_at: number };
    expect(await alarmOf(login.id)).toBe(scanned_at + APPROVE_WINDOW_MS);
    expect(scan.expires_at).toBe(scanned_at + APPROVE_WINDOW_MS);
    await editLogin(login.id, (r) => {
      r.scanned_at = Date.now() - APPROVE_WINDOW_MS - 1;
    });
    const res = await approve(backend, login.id, { scan: scan.scan, subject: "u" });
    expect(res.status).toBe(410);
    expect(await errorOf(res)).toBe("expired");
    expect((await loginStatus(login)).status).toBe("expired");
  });

  it("approved: a ticket not exchanged within its lifetime expires; exchange gets 410", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const scan = await scanned(login);
    await approve(backend, login.id, { scan: scan.scan, subject: "u" });
    const view = (await loginStatus(login)) as { ticket: string; approved_at: number };
    expect(await alarmOf(login.id)).toBe(view.approved_at + TICKET_TTL_MS);
    await editLogin(login.id, (r) => {
      r.approved_at = Date.now() - TICKET_TTL_MS - 1;
    });
    expect(await runDurableObjectAlarm(loginStubOf(login.id))).toBe(true);
    const res = await exchange(backend, view.ticket, login.verifier);
    expect(res.status).toBe(410);
    const after = await loginStatus(login);
    expect(after).toMatchObject({ status: "expired" });
    expect(after.ticket).toBeUndefined();
  });

  it("ended: storage and alarm are deleted after the grace period", async () => {
    const login = await createLogin(await mintSecretKey());
    const scan = await scanned(login);
    const denied = await call(`/v1/logins/${login.id}/deny`, {
      method: "POST",
      json: { scan: scan.scan },
    });
    expect(denied.status).toBe(200);
    const { ended_at } = (await loginStatus(login)) as { ended_at: number };
    expect(await alarmOf(login.id)).toBe(ended_at + LOGIN_PURGE_GRACE_MS);
    await editLogin(login.id, (r) => {
      r.ended_at = Date.now() - LOGIN_PURGE_GRACE_MS - 1;
    });
    expect(await runDurableObjectAlarm(loginStubOf(login.id))).toBe(true);
    const left = await runInDurableObject(loginStubOf(login.id), async (_o, state) => ({
      record: state.storage.kv.get("login"),
      alarm: await state.storage.getAlarm(),
    }));
    expect(left).toEqual({ record: undefined, alarm: null });
    expect((await scanLogin(login.url)).status).toBe(404);
  });
});
