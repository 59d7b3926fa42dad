// A QR login's decision repeated by whoever holds the scan handle — the backend's approve or the
// app's deny retried after its answer was lost — is answered as the first was and changes
// nothing: no second hop, no second push, no new ticket. A conflicting decision is refused, and
// the app's keyless deny without the handle learns nothing of the login's state.
import { describe, expect, it } from "vitest";
import { hopCapturingWorker, mintSecretKey } from "./helpers";
import {
  createLogin,
  loginStatus,
  openLoginSocket,
  postJson as post,
  scanned,
} from "./logins-helpers";

/** Time for the object's pushes to reach the socket (a repeat must add none). */
const settle = () => new Promise((r) => setTimeout(r, 50));

const hopsOf = (rows: { subject_id: string; hop: string }[], id: string, hop: string) =>
  rows.filter((r) => r.subject_id === id && r.hop === hop).length;

describe("QR login: a decision repeated", () => {
  it("the same approval twice: 200 both, one approved hop, one push, the first ticket kept", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const pc = await openLoginSocket(login);
    const { scan } = await scanned(login);
    const w = hopCapturingWorker();
    const approval = post(`/v1/logins/${login.id}/approve`, { scan, subject: "u-1" }, backend);
    const first = await w.send(approval.clone());
    expect(first.status).toBe(200);
    const { ticket } = (await loginStatus(login)) as { ticket: string };
    const again = await w.send(approval.clone());
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "approved" });
    expect(((await loginStatus(login)) as { ticket: string }).ticket).toBe(ticket);
    // Another subject, or other claims, is another decision: refused.
    for (const body of [
      { scan, subject: "u-2" },
      { scan, subject: "u-1", claims: { a: 1 } },
    ])
      expect((await w.send(post(`/v1/logins/${login.id}/approve`, body, backend))).status).toBe(
        409,
      );
    // The app's deny after the approval: refused, nothing changes.
    expect((await w.send(post(`/v1/logins/${login.id}/deny`, { scan }))).status).toBe(409);
    await settle();
    expect(pc.messages.filter((m) => m.status === "approved")).toHaveLength(1);
    expect(hopsOf(w.rows, login.id, "approved")).toBe(1);
    expect(hopsOf(w.rows, login.id, "denied")).toBe(0);
  });

  it("another key's approval with the same handle and subject is not a repeat", async () => {
    const backend = await mintSecretKey();
    const other = await mintSecretKey();
    const login = await createLogin(backend);
    const { scan } = await scanned(login);
    const w = hopCapturingWorker();
    const body = { scan, subject: "u-1" };
    expect((await w.send(post(`/v1/logins/${login.id}/approve`, body, backend))).status).toBe(200);
    expect((await w.send(post(`/v1/logins/${login.id}/approve`, body, other))).status).toBe(409);
  });

  it("the app's deny twice: 200 both, one denied hop; an approval after it stays 410", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const { scan } = await scanned(login);
    const w = hopCapturingWorker();
    const deny = post(`/v1/logins/${login.id}/deny`, { scan, reason: "not_me" });
    expect((await w.send(deny.clone())).status).toBe(200);
    const again = await w.send(deny.clone());
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "denied" });
    const late = post(`/v1/logins/${login.id}/approve`, { scan, subject: "u" }, backend);
    expect((await w.send(late)).status).toBe(410);
    await settle();
    expect(hopsOf(w.rows, login.id, "denied")).toBe(1);
    expect(await loginStatus(login)).toMatchObject({ denied_by: "app", denied_reason: "not_me" });
  });

  it("the app's deny with a made-up handle is 403 in every state: it learns nothing of the login", async () => {
    const backend = await mintSecretKey();
    const fake = "x".repeat(43);
    const login = await createLogin(backend);
    const deny = () => post(`/v1/logins/${login.id}/deny`, { scan: fake });
    const w = hopCapturingWorker();
    expect((await w.send(deny())).status).toBe(403); // pending
    const { scan } = await scanned(login);
    expect((await w.send(deny())).status).toBe(403); // scanned
    const approval = post(`/v1/logins/${login.id}/approve`, { scan, subject: "u" }, backend);
    expect((await w.send(approval)).status).toBe(200);
    const answer = await w.send(deny()); // approved: was 409 "login is approved"
    expect(answer.status).toBe(403);
    expect(await answer.text()).not.toContain("approved");
    // A key's holder may read the state anyway: told it first (409), and a made-up handle is
    // never taken for the approval's repeat (which would be 200).
    const fakeApproval = post(
      `/v1/logins/${login.id}/approve`,
      { scan: fake, subject: "u" },
      backend,
    );
    expect((await w.send(fakeApproval)).status).toBe(409);
    const fakeDeny = post(`/v1/logins/${login.id}/deny`, { scan: fake }, backend);
    expect((await w.send(fakeDeny)).status).toBe(409);
  });

  it("a made-up handle on a denied login is never taken for the deny's repeat", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const { scan } = await scanned(login);
    const w = hopCapturingWorker();
    expect((await w.send(post(`/v1/logins/${login.id}/deny`, { scan }))).status).toBe(200);
    const fake = { scan: "x".repeat(43) };
    expect((await w.send(post(`/v1/logins/${login.id}/deny`, fake))).status).toBe(403);
    expect((await w.send(post(`/v1/logins/${login.id}/deny`, fake, backend))).status).toBe(410);
  });
});
