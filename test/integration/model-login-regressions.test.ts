// What the QR login's model test (model-login.test.ts) found, each as the shortest sequence that
// shows it: a backend's approval retried after the PC already exchanged, an app's scan retry
// after the QR's own ttl, and an app's scan tries answered out of order.
import { describe, expect, it } from "vitest";
import { APPROVE_WINDOW_MS } from "../../src/core/login";
import { ANDROID_APP_UA } from "./handoffs-helpers";
import { atClock, BASE, hopCapturingWorker, mintSecretKey } from "./helpers";
import {
  approve,
  createLogin,
  errorOf,
  loginStatus,
  postJson as post,
  scanned,
  storedLogin,
} from "./logins-helpers";

describe("the same approval retried after the PC exchanged its ticket", () => {
  it("is answered 200 with the login as it is (exchanged), counts nothing, and keeps no subject", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const { scan } = await scanned(login);
    const w = hopCapturingWorker();
    const approval = { scan, subject: "user-7", claims: { mfa: true } };
    const approve = (body: object, key = backend) =>
      w.send(post(`/v1/logins/${login.id}/approve`, body, key));
    expect((await approve(approval)).status).toBe(200);
    const { ticket } = (await (
      await w.send(new Request(`https://qr.test/v1/logins/${login.id}?watch=${login.watch}`))
    ).json()) as { ticket: string };
    const exchanged = await w.send(
      post("/v1/logins/exchange", { ticket, code_verifier: login.verifier }, backend),
    );
    expect(exchanged.status).toBe(200);

    // The backend's answer to its approval was lost; it asks again, as the docs say it may.
    const again = await approve(approval);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: login.id, status: "exchanged" });
    // Nothing of the user is kept for it: the exchange dropped the subject and the claims.
    const rec = await storedLogin(login.id);
    expect(rec).toMatchObject({ status: "exchanged", subject: null, claims: null });
    expect(JSON.stringify(rec)).not.toContain("user-7");
    // Another decision is no repeat: another subject, other claims, another key.
    for (const [body, key] of [
      [{ ...approval, subject: "user-8" }, backend],
      [{ scan, subject: "user-7" }, backend],
      [approval, await mintSecretKey()],
    ] as const) {
      const res = await approve(body, key);
      expect(res.status).toBe(409);
      expect(await errorOf(res)).toBe("already_exchanged");
    }
    expect(w.rows.filter((r) => r.subject_id === login.id && r.hop === "approved")).toHaveLength(1);
  });
});

/** The app's scan, at `t` on the Worker's clock, with its claim or without. */
const scanAt = (w: ReturnType<typeof hopCapturingWorker>, url: string, t: number, claim?: string) =>
  atClock(t, () =>
    w.send(
      new Request(`${BASE}/v1/logins/scan`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": ANDROID_APP_UA,
          "cf-connecting-ip": "198.51.100.201",
        },
        body: JSON.stringify(claim === undefined ? { url } : { url, claim }),
      }),
    ),
  );

describe("a scan retried with its claim after the QR's own life, while the login awaits approval", () => {
  const CLAIM = "app-claim-late-0123456789";

  it("gets its answer again and the handle approves; anyone else still gets 410, and the PC no warning", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend, { body: { ttl: 30 } });
    const w = hopCapturingWorker();
    // Scanned half a second before the QR ends; the answer is lost on a slow network.
    expect((await scanAt(w, login.url, login.expires_at - 500, CLAIM)).status).toBe(200);
    const late = login.expires_at + 20_000;
    const retry = await scanAt(w, login.url, late, CLAIM);
    expect(retry.status).toBe(200);
    const { scan } = (await retry.json()) as { scan: string };
    for (const claim of [undefined, "someone-else-0123456789"]) {
      const other = await scanAt(w, login.url, late, claim);
      expect(other.status).toBe(410);
      expect(await errorOf(other)).toBe("expired");
    }
    const view = await atClock(late, () => loginStatus(login));
    expect(view).toMatchObject({ status: "scanned", other_scans: 0 });
    const approved = await atClock(late, () => approve(backend, login.id, { scan, subject: "u" }));
    expect(approved.status).toBe(200);
    expect(w.rows.filter((r) => r.subject_id === login.id && r.hop === "scanned")).toHaveLength(1);
  });

  it("once the approval window has closed, or the login was decided, the claim gets 410 too", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend, { body: { ttl: 30 } });
    const w = hopCapturingWorker();
    expect((await scanAt(w, login.url, login.expires_at - 500, CLAIM)).status).toBe(200);
    const closed = login.expires_at - 500 + APPROVE_WINDOW_MS;
    expect((await scanAt(w, login.url, closed, CLAIM)).status).toBe(410);

    const decided = await createLogin(backend, { body: { ttl: 30 } });
    const answer = await scanAt(w, decided.url, decided.expires_at - 500, CLAIM);
    const handle = ((await answer.json()) as { scan: string }).scan;
    const at = decided.expires_at + 1_000;
    expect(
      (await atClock(at, () => approve(backend, decided.id, { scan: handle, subject: "u" })))
        .status,
    ).toBe(200);
    const after = await scanAt(w, decided.url, at, CLAIM);
    expect(after.status).toBe(410);
    expect(await atClock(at, () => loginStatus(decided))).toMatchObject({ other_scans: 0 });
  });
});

describe("an app's scan retries with one claim, answered out of order", () => {
  const CLAIM = "app-claim-order-0123456789";

  it("the handle of whichever answer the app kept approves: a retry processed after it does not kill it", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const w = hopCapturingWorker();
    const t = login.expires_at - 40_000;
    // The app's second try reaches the login first and its answer arrives; the first try, slow
    // on the network and given up by the app, reaches it after: its answer is the one lost.
    const kept = await scanAt(w, login.url, t, CLAIM);
    expect(kept.status).toBe(200);
    const { scan } = (await kept.json()) as { scan: string };
    expect((await scanAt(w, login.url, t + 800, CLAIM)).status).toBe(200);
    const approved = await atClock(t + 2_000, () =>
      approve(backend, login.id, { scan, subject: "u" }),
    );
    expect(approved.status).toBe(200);
  });

  it("tries fired at once all get the one handle that works; one scan is counted, no warning", async () => {
    const backend = await mintSecretKey();
    const login = await createLogin(backend);
    const w = hopCapturingWorker();
    const t = login.expires_at - 40_000;
    const tries = await Promise.all([1, 2, 3, 4].map(() => scanAt(w, login.url, t, CLAIM)));
    expect(tries.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const handles = new Set(
      await Promise.all(tries.map(async (r) => ((await r.json()) as { scan: string }).scan)),
    );
    expect(handles.size).toBe(1);
    const [scan] = handles;
    expect(await atClock(t, () => loginStatus(login))).toMatchObject({ other_scans: 0 });
    const denied = await atClock(t + 1_000, () =>
      w.send(post(`/v1/logins/${login.id}/deny`, { scan: scan! })),
    );
    expect(denied.status).toBe(200);
    expect(w.rows.filter((r) => r.subject_id === login.id && r.hop === "scanned")).toHaveLength(1);
  });
});
