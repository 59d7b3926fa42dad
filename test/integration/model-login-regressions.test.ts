// What the QR login's model test (model-login.test.ts) found, each as the shortest sequence that
// shows it: a backend's approval retried after the PC already exchanged, an app's scan retry
// after the QR's own ttl, and an app's scan retries answered out of order.
import { describe, expect, it } from "vitest";
import { hopCapturingWorker, mintSecretKey } from "./helpers";
import { createLogin, errorOf, postJson as post, scanned, storedLogin } from "./logins-helpers";

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
