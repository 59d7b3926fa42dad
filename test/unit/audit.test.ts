// The audit log's pure part: what a change records, the page cursor, and when a key's last use
// is due to be written.
import { describe, expect, it } from "vitest";
import {
  AUDIT_VALUE_MAX,
  changesOf,
  decodeAuditCursor,
  encodeAuditCursor,
  KEY_USE_EVERY_MS,
  keyUseDue,
} from "../../src/core/audit";

describe("changesOf", () => {
  it("names every field present and keeps short values", () => {
    expect(changesOf({ status: "paused", name: undefined, label: null })).toEqual({
      fields: ["status", "label"],
      values: { status: "paused", label: null },
    });
  });

  it("names a name-only field without its value, and a long value without it", () => {
    const long = "x".repeat(AUDIT_VALUE_MAX);
    expect(
      changesOf({ metadata: { pin: "1234" }, path: `/${long}`, ok: long.slice(2) }, ["metadata"]),
    ).toEqual({
      fields: ["metadata", "path", "ok"],
      values: { ok: long.slice(2) },
    });
  });
});

describe("audit cursor", () => {
  it("round-trips and refuses what is not one", () => {
    const cursor = { at: 1_700_000_000_000, id: 42 };
    expect(decodeAuditCursor(encodeAuditCursor(cursor))).toEqual(cursor);
    for (const bad of ["", "1.x", "1700000000000.st_abc", "1.2.3", "-1.2", `${"9".repeat(17)}.1`])
      expect(decodeAuditCursor(bad)).toBeNull();
  });
});

describe("keyUseDue", () => {
  it("is due when never written or an hour old, not before", () => {
    const now = 10 * KEY_USE_EVERY_MS;
    expect(keyUseDue(null, now)).toBe(true);
    expect(keyUseDue(now - KEY_USE_EVERY_MS - 1, now)).toBe(true);
    expect(keyUseDue(now - KEY_USE_EVERY_MS, now)).toBe(false);
    expect(keyUseDue(now - 1, now)).toBe(false);
  });
});
