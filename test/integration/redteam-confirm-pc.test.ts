// Red team: `confirm: "pc"` exists so that the PC user decides which phone gets the session.
// The attacker photographs the QR on the victim's screen; the victim's own phone opens the
// link in its browser (the app is not installed, or the universal link did not fire), so the
// PC sees "scanned on iPhone" and its user approves that phone. The approval must not then go
// to whichever app resolves first: the attacker's.
import { beforeAll, describe, expect, it } from "vitest";
import {
  ANDROID_APP_UA,
  createHandoff,
  decide,
  IPHONE_UA,
  resolve,
  scan,
  status,
} from "./handoffs-helpers";
import { call, mintSecretKey } from "./helpers";

let key: string;
beforeAll(async () => {
  key = await mintSecretKey();
});

const SECRET = { session: "victim-pc-session" };

describe("an approval is for the phone that asked, never for the first to ask after it", () => {
  it("approving on 'scanned' (nobody has asked yet) is refused: 409, and nothing is approved", async () => {
    const h = await createHandoff(key, { payload: SECRET, confirm: "pc" });
    // The victim's iPhone opens the link in Safari: the PC is told "scanned on iPhone".
    expect((await scan(h, { "user-agent": IPHONE_UA })).status).toBe(200);
    const seen = await status(h);
    expect(seen).toMatchObject({ status: "scanned", device: { platform: "ios" } });
    // The PC user approves what they see.
    const approve = await decide(h, "approve");
    expect(approve.status).toBe(409);
    expect(await approve.json()).toMatchObject({
      error: "conflict",
      message: expect.stringContaining("awaiting_confirmation"),
    });
    expect((await status(h)).status).toBe("scanned");

    // The attacker's app resolves the photographed link first: it only gets to ask, and the
    // PC now sees the attacker's phone, not the victim's.
    const attacker = await call("/v1/resolve", {
      method: "POST",
      json: { url: h.url },
      headers: { "user-agent": ANDROID_APP_UA },
    });
    expect(attacker.status).toBe(202);
    expect(await attacker.text()).not.toContain("victim-pc-session");
    expect(await status(h)).toMatchObject({
      status: "awaiting_confirmation",
      device: { platform: "android" },
    });
    // The PC denies the stranger; nobody ever gets the payload.
    expect((await decide(h, "deny")).status).toBe(200);
    const again = await resolve(h.url);
    expect(again.status).toBe(403);
    expect(await again.text()).not.toContain("victim-pc-session");
  });

  it("denying on 'scanned' still works: the PC may refuse before anyone asks", async () => {
    const h = await createHandoff(key, { payload: SECRET, confirm: "pc" });
    await scan(h);
    expect((await decide(h, "deny")).status).toBe(200);
    const res = await resolve(h.url);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("victim-pc-session");
  });

  it("the phone that asked, once approved, is the only one to get the payload", async () => {
    const h = await createHandoff(key, { payload: SECRET, confirm: "pc" });
    await scan(h, { "user-agent": IPHONE_UA });
    const victim = await call("/v1/resolve", {
      method: "POST",
      json: { url: h.url },
      headers: { "user-agent": "Acme/1 CFNetwork/1494.0.7 Darwin/23.4.0" },
    });
    expect(victim.status).toBe(202);
    const { claim } = (await victim.json()) as { claim: string };
    expect((await decide(h, "approve")).status).toBe(200);
    const attacker = await resolve(h.url);
    expect(attacker.status).toBe(409);
    expect(await attacker.text()).not.toContain("victim-pc-session");
    const done = await resolve(h.url, { claim });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ payload: SECRET });
  });
});
