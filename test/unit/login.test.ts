// The QR login state machine, its ticket and PKCE binding, and its proximity signals: pure.
import { describe, expect, it } from "vitest";
import {
  APPROVE_WINDOW_MS,
  expireLoginIfDue,
  LOGIN_PURGE_GRACE_MS,
  LOGIN_TRANSITIONS,
  loginAlarmTime,
  loginDeadline,
  loginStep,
  TICKET_TTL_MS,
} from "../../src/core/login";
import { LOGIN_STATUSES, type LoginRecord, newLogin } from "../../src/core/login-record";
import { s256Challenge, scanHandleOf, signTicket, verifyTicket } from "../../src/core/login-ticket";
import {
  distanceKm,
  geoPointOf,
  networkHash,
  networkPrefix,
  proximityOf,
  proximityProblem,
} from "../../src/core/proximity";
import { parseKeyring } from "../../src/core/token";

const T0 = 1_767_225_600_000;

function fresh(): LoginRecord {
  return newLogin(
    {
      id: "8QK3T0M1ZC7X9R2B4N6D",
      key_id: "key_x",
      watch_hash: "w",
      code_challenge: "c",
      metadata: null,
      created_by: "page",
      requester: {
        platform: "desktop",
        browser: "Chrome",
        os: "Windows",
        country: "DE",
        city: "Berlin",
        region: null,
        colo: "TXL",
        origin: "https://shop.example",
      },
      network: "net",
      location: { lat: 52.52, lon: 13.4 },
      expires_at: T0 + 60_000,
    },
    T0,
  );
}

const must = (r: ReturnType<typeof loginStep>): LoginRecord => {
  if (!r.ok) throw new Error(`refused from ${r.status}`);
  return r.record;
};

describe("login state machine", () => {
  it("runs pending → scanned → approved → exchanged, each deadline in turn", () => {
    let rec = fresh();
    expect(loginDeadline(rec)).toBe(T0 + 60_000);
    rec = must(
      loginStep(rec, "scan", T0 + 5_000, {
        scanHash: "s",
        proximity: { same_network: true, distance_km: 0 },
      }),
    );
    expect(rec).toMatchObject({ status: "scanned", scan_hash: "s", network: null, location: null });
    expect(loginDeadline(rec)).toBe(T0 + 5_000 + APPROVE_WINDOW_MS);
    expect(rec.approved_by).toBeNull();
    rec = must(
      loginStep(rec, "approve", T0 + 9_000, {
        subject: "u",
        claims: "{}",
        ticketHash: "t",
        approvedBy: "key_b",
      }),
    );
    expect(rec).toMatchObject({
      status: "approved",
      subject: "u",
      ticket_hash: "t",
      approved_by: "key_b",
    });
    expect(loginDeadline(rec)).toBe(T0 + 9_000 + TICKET_TTL_MS);
    rec = must(loginStep(rec, "exchange", T0 + 10_000));
    expect(rec).toMatchObject({
      status: "exchanged",
      exchanged_at: T0 + 10_000,
      ended_at: T0 + 10_000,
      // Who approved is an id, not the user's: it stays for the backend's audit read.
      approved_by: "key_b",
      subject: null,
      claims: null,
      ticket_hash: null,
    });
    expect(loginDeadline(rec)).toBeNull();
    expect(loginAlarmTime(rec)).toBe(T0 + 10_000 + LOGIN_PURGE_GRACE_MS);
  });

  it("allows only the table's transitions, and terminal states allow none", () => {
    for (const status of LOGIN_STATUSES) {
      for (const event of ["scan", "approve", "deny", "exchange", "burn", "expire"] as const) {
        const r = loginStep({ ...fresh(), status, scanned_at: T0, approved_at: T0 }, event, T0);
        expect(r.ok, `${status} + ${event}`).toBe(LOGIN_TRANSITIONS[status][event] !== undefined);
      }
    }
    expect(LOGIN_TRANSITIONS.pending.approve).toBeUndefined(); // no approval without a scan
    expect(LOGIN_TRANSITIONS.pending.deny).toBeUndefined();
  });

  it("refuses every event but expire once the state's deadline has passed", () => {
    const rec = fresh();
    expect(loginStep(rec, "scan", T0 + 60_000).ok).toBe(false);
    expect(loginStep(rec, "scan", T0 + 59_999).ok).toBe(true);
    const scanned = must(loginStep(rec, "scan", T0));
    expect(loginStep(scanned, "approve", T0 + APPROVE_WINDOW_MS).ok).toBe(false);
    const approved = must(loginStep(scanned, "approve", T0 + 1));
    expect(loginStep(approved, "exchange", T0 + 1 + TICKET_TTL_MS).ok).toBe(false);
    expect(loginStep(approved, "exchange", T0 + TICKET_TTL_MS).ok).toBe(true);
  });

  it("expires each live state when due (deny by default), and nothing else", () => {
    expect(expireLoginIfDue(fresh(), T0 + 59_999)).toBeNull();
    expect(expireLoginIfDue(fresh(), T0 + 60_000)).toMatchObject({ status: "expired" });
    const approved = must(
      loginStep(must(loginStep(fresh(), "scan", T0)), "approve", T0, { subject: "u" }),
    );
    const expired = expireLoginIfDue(approved, T0 + TICKET_TTL_MS)!;
    expect(expired).toMatchObject({
      status: "expired",
      subject: null,
      ended_at: T0 + TICKET_TTL_MS,
    });
    expect(expireLoginIfDue(expired, T0 + 10 * TICKET_TTL_MS)).toBeNull();
  });

  it("a burn ends the login like an exchange, and a deny records who and why", () => {
    const approved = must(loginStep(must(loginStep(fresh(), "scan", T0)), "approve", T0));
    expect(must(loginStep(approved, "burn", T0 + 1))).toMatchObject({
      status: "burnt",
      ended_at: T0 + 1,
    });
    const denied = must(
      loginStep(must(loginStep(fresh(), "scan", T0)), "deny", T0 + 2, {
        deniedBy: "app",
        reason: "not_me",
      }),
    );
    expect(denied).toMatchObject({ status: "denied", denied_by: "app", denied_reason: "not_me" });
  });
});

describe("login ticket and PKCE", () => {
  it("S256 matches RFC 7636's example", async () => {
    expect(await s256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("a ticket carries ≥ 128 bits of MAC, verifies in any case, and a changed character fails", async () => {
    const ring = await parseKeyring("K1:unit-test-key-0123456789,K2:unit-test-key-abcdefghij");
    const ticket = await signTicket(ring, "8QK3T0M1ZC7X9R2B4N6D");
    expect(ticket).toMatch(/^8QK3T0M1ZC7X9R2B4N6DK2[0-9A-Z]{26}$/); // 26 × 5 = 130 bits
    expect(await verifyTicket(ring, ticket)).toBe("8QK3T0M1ZC7X9R2B4N6D");
    expect(await verifyTicket(ring, ticket.toLowerCase())).toBe("8QK3T0M1ZC7X9R2B4N6D");
    for (const i of [0, 21, 47]) {
      const c = ticket[i] === "A" ? "B" : "A";
      expect(await verifyTicket(ring, ticket.slice(0, i) + c + ticket.slice(i + 1))).toBeNull();
    }
    const other = await parseKeyring("K2:another-key-0123456789");
    expect(await verifyTicket(other, ticket)).toBeNull();
    expect(await verifyTicket(ring, "short")).toBeNull();
  });

  it("a claim's scan handle: 256 bits, the same for the same login and claim, else another", async () => {
    const ring = await parseKeyring("K1:unit-test-key-0123456789,K2:unit-test-key-abcdefghij");
    const id = "8QK3T0M1ZC7X9R2B4N6D";
    const handle = await scanHandleOf(ring, id, "claim-0123456789abcdef");
    expect(handle).toMatch(/^[0-9A-Z]{52}$/);
    expect(await scanHandleOf(ring, id, "claim-0123456789abcdef")).toBe(handle);
    const others = [
      await scanHandleOf(ring, id, "claim-0123456789abcdeg"),
      await scanHandleOf(ring, "8QK3T0M1ZC7X9R2B4N6E", "claim-0123456789abcdef"),
      await scanHandleOf(
        await parseKeyring("K2:another-key-0123456789"),
        id,
        "claim-0123456789abcdef",
      ),
    ];
    expect(new Set([handle, ...others]).size).toBe(4);
  });
});

describe("proximity", () => {
  it("network prefixes: IPv4 /24, IPv6 /48, mapped IPv4, garbage", () => {
    expect(networkPrefix("203.0.113.77")).toBe("4:203.0.113");
    expect(networkPrefix("2001:db8:1:2::5")).toBe("6:2001:db8:1");
    expect(networkPrefix("2001:DB8:0001:ffff:0:0:0:9")).toBe("6:2001:db8:1");
    expect(networkPrefix("::ffff:203.0.113.77")).toBe("4:203.0.113");
    expect(networkPrefix("fe80::1%eth0")).toBe("6:fe80:0:0");
    expect(networkPrefix("::1")).toBe("6:0:0:0");
    for (const bad of [
      "",
      "1.2.3",
      "256.1.1.1",
      "01.2.3.4",
      "1::2::3",
      "1:2:3:4:5:6:7:8:9",
      "nope",
      null,
    ]) {
      expect(networkPrefix(bad), String(bad)).toBeNull();
    }
  });

  it("network hashes are salted per login: the same network compares equal only within one login", async () => {
    const a = await networkHash("salt", "LOGIN_A", "203.0.113.1");
    expect(await networkHash("salt", "LOGIN_A", "203.0.113.250")).toBe(a);
    expect(await networkHash("salt", "LOGIN_A", "203.0.114.1")).not.toBe(a);
    expect(await networkHash("salt", "LOGIN_B", "203.0.113.1")).not.toBe(a);
    expect(await networkHash("other", "LOGIN_A", "203.0.113.1")).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(await networkHash("salt", "LOGIN_A", undefined)).toBeNull();
  });

  it("places and distances", () => {
    expect(geoPointOf({ latitude: "52.52437", longitude: "13.41053" })).toEqual({
      lat: 52.52,
      lon: 13.41,
    });
    expect(geoPointOf({ latitude: "", longitude: "1" })).toBeNull();
    expect(geoPointOf({ latitude: "91", longitude: "0" })).toBeNull();
    expect(geoPointOf(undefined)).toBeNull();
    // Berlin–Munich is ~504 km; London–New York ~5,570 km.
    expect(distanceKm({ lat: 52.52, lon: 13.41 }, { lat: 48.14, lon: 11.58 })).toBe(504);
    expect(distanceKm({ lat: 51.51, lon: -0.13 }, { lat: 40.71, lon: -74.01 })).toBeGreaterThan(
      5500,
    );
    expect(distanceKm({ lat: 1, lon: 1 }, { lat: 1, lon: 1 })).toBe(0);
  });

  it("unknown signals stay null and fail any policy that asks for them", () => {
    const p = proximityOf(
      { network: null, location: null },
      { network: "x", location: { lat: 0, lon: 0 } },
    );
    expect(p).toEqual({ same_network: null, distance_km: null });
    expect(proximityProblem(p, {})).toBeNull();
    expect(proximityProblem(p, { require_same_network: true })).toMatch(/unknown/);
    expect(proximityProblem(p, { max_distance_km: 100 })).toMatch(/unknown/);
    const near = { same_network: true, distance_km: 3 };
    expect(proximityProblem(near, { require_same_network: true, max_distance_km: 3 })).toBeNull();
    expect(proximityProblem(near, { max_distance_km: 2 })).toMatch(/3 km/);
    expect(
      proximityProblem({ same_network: false, distance_km: 0 }, { require_same_network: true }),
    ).toMatch(/not on the same network/);
  });
});
