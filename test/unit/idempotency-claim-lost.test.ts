// core/idempotency.ts isClaimLost: which D1 errors mean "this create's Idempotency-Key claim was
// taken over" (answered 409, nothing written) rather than a failure of the create itself (500).
import { describe, expect, it } from "vitest";
import { isClaimLost } from "../../src/core/idempotency";

describe("isClaimLost", () => {
  it("names the constraint the answer's guard trips on idempotency_keys", () => {
    const d1 = (m: string) => new Error(`D1_ERROR: ${m}: SQLITE_CONSTRAINT`);
    expect(isClaimLost(d1("NOT NULL constraint failed: idempotency_keys.fingerprint"))).toBe(true);
    expect(isClaimLost(d1("UNIQUE constraint failed: idempotency_keys.scope"))).toBe(true);
  });

  it("leaves every other failure to the create: a poster id collision, a lost store, no table", () => {
    expect(isClaimLost(new Error("UNIQUE constraint failed: posters.id"))).toBe(false);
    expect(isClaimLost(new Error("FOREIGN KEY constraint failed"))).toBe(false);
    expect(isClaimLost(new Error("no such table: idempotency_keys_refused"))).toBe(false);
    expect(isClaimLost(undefined)).toBe(false);
  });
});
