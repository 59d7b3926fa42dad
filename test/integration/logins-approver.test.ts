// QR login: who approved. Any secret key holding logins:write may approve any login, so the
// exchange and the secret-key view name the approving key (`approved_by`), and the exchange can
// require it: a company's backend refuses a login approved by any key but its login service's.
// The attack: a leaked low-value key with logins:write approves the attacker's own scan of the
// company's login page as someone else. Each test makes its own keys and logins.
import { describe, expect, it } from "vitest";
import { ADMIN_KEY, call } from "./helpers";
import { eventually, waitForHops } from "./hop-helpers";
import {
  approve,
  type CreatedLogin,
  createLogin,
  editLogin,
  errorOf,
  loginStatus,
  openLoginSocket,
  scanLogin,
  scanned,
} from "./logins-helpers";

const ORIGIN = "https://shop.example";

/** Mint a key through the API: its id and its text. */
async function mint(
  kind: "secret" | "publishable",
  name: string,
): Promise<{ id: string; key: string }> {
  const res = await call("/v1/keys", {
    method: "POST",
    key: ADMIN_KEY,
    json: {
      name,
      kind,
      scopes: ["logins:write"],
      ...(kind === "publishable" ? { origins: [ORIGIN] } : {}),
    },
  });
  if (res.status !== 201) throw new Error(`mint failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; key: string };
}

/** The company's two services: A its login service, B another one (or a leaked key). */
async function twoServices() {
  const [a, b] = await Promise.all([mint("secret", "login service"), mint("secret", "reports")]);
  return { a, b };
}

/** The PC's backend: POST /v1/logins/exchange, with `approved_by` when given. */
function exchangeAs(
  key: string,
  login: CreatedLogin,
  ticket: string,
  approvedBy?: string | string[],
  verifier = login.verifier,
): Promise<Response> {
  return call("/v1/logins/exchange", {
    method: "POST",
    key,
    json: {
      ticket,
      code_verifier: verifier,
      ...(approvedBy === undefined ? {} : { approved_by: approvedBy }),
    },
  });
}

/** A login made by `creator`, scanned by the app and approved by `approver`: its ticket. */
async function approvedBy(creator: string, approver: string) {
  const login = await createLogin(creator, { body: { client: { origin: ORIGIN } } });
  const { scan } = await scanned(login);
  const res = await approve(approver, login.id, { scan, subject: "user_7" });
  expect(res.status).toBe(200);
  const ticket = (await loginStatus(login)).ticket as string;
  expect(ticket).toMatch(/^[0-9A-Z]{48}$/);
  return { login, ticket, scan };
}

/** GET /v1/logins/:id with a secret key (the company's backend). */
async function keyView(key: string, id: string, query = ""): Promise<Record<string, unknown>> {
  const res = await call(`/v1/logins/${id}${query}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe("QR login: the exchange names the approving key", () => {
  it("key B approves a login key A's backend made: the exchange and A's view say B", async () => {
    const { a, b } = await twoServices();
    const login = await createLogin(a.key, { body: { client: { origin: ORIGIN } } });
    const before = await keyView(a.key, login.id);
    expect(before).toMatchObject({ status: "pending", approved_by: null });
    const { scan } = await scanned(login);
    expect((await approve(b.key, login.id, { scan, subject: "user_7" })).status).toBe(200);

    expect(await keyView(a.key, login.id)).toMatchObject({
      status: "approved",
      approved_by: b.id,
    });
    // The long-poll read by a secret key says it too.
    expect(await keyView(a.key, login.id, "?wait=1&since=scanned")).toMatchObject({
      approved_by: b.id,
      changed: true,
    });
    const ticket = (await loginStatus(login)).ticket as string;
    const res = await exchangeAs(a.key, login, ticket);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      login_id: login.id,
      subject: "user_7",
      approved_by: b.id,
    });
    // The approved hop (and so the login.approved webhook) names the key for an audit.
    const approved = await waitForHops({ subject_id: login.id, hop: "approved" }, 1);
    expect(approved.map((r) => r.detail)).toEqual([{ approved_by: b.id }]);
    // Kept once exchanged, for the backend's audit until the login is deleted.
    expect(await keyView(a.key, login.id)).toMatchObject({
      status: "exchanged",
      approved_by: b.id,
    });
  });

  it("the admin key's approval is named admin", async () => {
    const { a } = await twoServices();
    const { login, ticket } = await approvedBy(a.key, ADMIN_KEY);
    const res = await exchangeAs(a.key, login, ticket, "admin");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { approved_by: string }).approved_by).toBe("admin");
  });
});

describe("QR login: the exchange may require its own approver", () => {
  it("attack: a leaked key B approves the attacker's scan as someone else; the exchange requiring A refuses it, and the ticket still works for an exchange that accepts B", async () => {
    const { a, b } = await twoServices();
    // The company's login page; the attacker scans it with their own phone and approves with
    // the leaked key B, naming the victim.
    const login = await createLogin(a.key, { body: { client: { origin: ORIGIN } } });
    const { scan } = await scanned(login);
    expect((await approve(b.key, login.id, { scan, subject: "victim" })).status).toBe(200);
    const ticket = (await loginStatus(login)).ticket as string;

    // The company's backend exchanges as it always does, accepting only its login service.
    const refused = await exchangeAs(a.key, login, ticket, a.id);
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { error: string; details: Record<string, unknown> };
    expect(body.error).toBe("forbidden");
    expect(body.details).toMatchObject({ reason: "approver_mismatch", approved_by: b.id });
    expect(JSON.stringify(body)).not.toContain("victim");
    // A list that does not name B is refused as well; nothing changed on the login.
    expect((await exchangeAs(a.key, login, ticket, [a.id, "admin"])).status).toBe(403);
    expect(await keyView(a.key, login.id)).toMatchObject({ status: "approved" });
    const rejected = await waitForHops({ subject_id: login.id, hop: "rejected" }, 2);
    expect(rejected.map((r) => r.detail)).toEqual([
      { reason: "approver_mismatch" },
      { reason: "approver_mismatch" },
    ]);

    // Not burnt: an exchange that accepts B (here in a list) still gets the login, once.
    const ok = await exchangeAs(a.key, login, ticket, [a.id, b.id]);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ subject: "victim", approved_by: b.id });
    const again = await exchangeAs(a.key, login, ticket, b.id);
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toBe("already_exchanged");
  });

  it("the login service's own approval passes the requirement", async () => {
    const { a } = await twoServices();
    const { login, ticket } = await approvedBy(a.key, a.key);
    const res = await exchangeAs(a.key, login, ticket, a.id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ subject: "user_7", approved_by: a.id });
  });

  it("a wrong code_verifier still burns the ticket and tells nothing of the approver", async () => {
    const { a, b } = await twoServices();
    const { login, ticket } = await approvedBy(a.key, b.key);
    const wrong = "x".repeat(43);
    const res = await exchangeAs(a.key, login, ticket, a.id, wrong);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text).error).toBe("invalid_grant");
    expect(text).not.toContain(b.id);
    expect((await exchangeAs(a.key, login, ticket, b.id)).status).toBe(409);
  });

  it("a malformed approved_by is a 400 that leaves the ticket as it was", async () => {
    const { a, b } = await twoServices();
    const { login, ticket } = await approvedBy(a.key, b.key);
    for (const bad of ["", [], 42, Array.from({ length: 11 }, () => a.id)]) {
      const res = await call("/v1/logins/exchange", {
        method: "POST",
        key: a.key,
        json: { ticket, code_verifier: login.verifier, approved_by: bad },
      });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toBe("validation_failed");
    }
    expect((await exchangeAs(a.key, login, ticket, b.id)).status).toBe(200);
  });
});

describe("QR login: who approved is the backend's alone", () => {
  it("the PC page's watch, long-poll and WebSocket, the publishable key and the phone never see it", async () => {
    const { a, b } = await twoServices();
    const pk = await mint("publishable", "shop page");
    const login = await createLogin(pk.key, { headers: { origin: ORIGIN } });
    const socket = await openLoginSocket(login);
    const { scan } = await scanned(login);
    const poll = call(`/v1/logins/${login.id}?watch=${login.watch}&wait=10&since=scanned`);
    expect((await approve(b.key, login.id, { scan, subject: "user_7" })).status).toBe(200);

    const polled = (await (await poll).json()) as Record<string, unknown>;
    expect(polled).toMatchObject({ status: "approved", changed: true });
    const watched = await loginStatus(login);
    expect(watched.status).toBe("approved");
    for (const view of [polled, watched]) {
      expect(view).not.toHaveProperty("approved_by");
      expect(JSON.stringify(view)).not.toContain(b.id);
    }
    // The WebSocket closes after pushing the approval; none of its messages names the key.
    await eventually(socket.closed, "the close after approval");
    const pushed = JSON.stringify(socket.messages);
    expect(pushed).toContain('"approved"');
    expect(pushed).not.toContain(b.id);
    // The publishable key may not read the login at all.
    const byPk = await call(`/v1/logins/${login.id}`, { key: pk.key });
    expect(byPk.status).toBe(403);
    expect(await byPk.text()).not.toContain(b.id);
    // A phone scanning again is refused without it.
    const rescan = await scanLogin(login.url);
    expect(rescan.status).toBe(409);
    expect(await rescan.text()).not.toContain(b.id);
    // The secret key does see it.
    expect(await keyView(a.key, login.id)).toMatchObject({ approved_by: b.id });
  });
});

describe("QR login: records from before approved_by", () => {
  it("answer null, and an exchange requiring an approver is refused without burning", async () => {
    const { a } = await twoServices();
    const { login, ticket } = await approvedBy(a.key, a.key);
    // A record written before the field existed has no approved_by at all.
    await editLogin(login.id, (r) => {
      delete r.approved_by;
    });
    expect(await keyView(a.key, login.id)).toMatchObject({ status: "approved", approved_by: null });
    const refused = await exchangeAs(a.key, login, ticket, a.id);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { details: unknown }).details).toMatchObject({
      reason: "approver_mismatch",
      approved_by: null,
    });
    const res = await exchangeAs(a.key, login, ticket);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ subject: "user_7", approved_by: null });
  });
});
