// The audit log page's plain logic (src/client/console/audit-entries.js): the filter form's query
// is the one `GET /v1/audit-log` takes (its days the browser's, `to` included), each action reads
// as a word every console language has, and an entry's changes read as one line of text.
import { describe, expect, it } from "vitest";
import {
  AUDIT_SUBJECTS,
  actionWord,
  actorText,
  auditQuery,
  changeSummary,
  subjectPath,
} from "../../src/client/console/audit-entries.js";
import { words } from "../../src/client/console/words.js";
import { AUDIT_SUBJECTS as API_SUBJECTS, AUDIT_ACTIONS } from "../../src/core/audit";

describe("auditQuery", () => {
  it("sends the days as the browser's midnights, `to` as the next day's (the API's is exclusive)", () => {
    const q = auditQuery({ from: "2026-12-01", to: "2026-12-07" });
    expect(q.from).toBe(new Date(2026, 11, 1).getTime());
    expect(q.to).toBe(new Date(2026, 11, 8).getTime());
    // Across a month's and a year's end.
    expect(auditQuery({ to: "2026-12-31" }).to).toBe(new Date(2027, 0, 1).getTime());
    expect(auditQuery({ to: "2027-02-28" }).to).toBe(new Date(2027, 2, 1).getTime());
  });

  it("leaves out what is empty, trims ids and keys, and drops a kind the API does not know", () => {
    expect(auditQuery({ subject_type: "", subject_id: "  ", actor: "", from: "", to: "" })).toEqual(
      {
        subject_type: undefined,
        subject_id: undefined,
        actor: undefined,
        from: undefined,
        to: undefined,
      },
    );
    expect(
      auditQuery({ subject_type: "poster", subject_id: " 7K2M9Q ", actor: " key_1 " }),
    ).toEqual({
      subject_type: "poster",
      subject_id: "7K2M9Q",
      actor: "key_1",
      from: undefined,
      to: undefined,
    });
    expect(auditQuery({ subject_type: "constructor" }).subject_type).toBeUndefined();
    expect(auditQuery({ from: "1 Dec" }).from).toBeUndefined();
  });

  it("sends an id without its kind as typed, so the API refuses it rather than the filter vanishing", () => {
    expect(auditQuery({ subject_id: "st_1" }).subject_id).toBe("st_1");
    expect(auditQuery({ subject_id: "st_1" }).subject_type).toBeUndefined();
  });

  it("offers exactly the kinds the API filters by", () => {
    expect(AUDIT_SUBJECTS).toEqual([...API_SUBJECTS]);
  });
});

describe("how an entry reads", () => {
  it("names every action and kind of item with a word each console language has", () => {
    for (const [lang, dict] of Object.entries(words) as [string, Record<string, string>][]) {
      for (const action of AUDIT_ACTIONS)
        expect(dict[actionWord(action)], `${lang} ${action}`).toBeTruthy();
      for (const kind of API_SUBJECTS)
        expect(dict[`audit.s.${kind}`], `${lang} ${kind}`).toBeTruthy();
    }
    expect(actionWord("dead_letters.replay")).toBe("audit.a.replay");
    expect(actionWord("key.revoke")).toBe("audit.a.revoke");
  });

  it("links an item to its console page when it has one, its id escaped", () => {
    expect(subjectPath("store", "st_1")).toBe("/stores/st_1");
    expect(subjectPath("poster", "7K2M9Q")).toBe("/posters/7K2M9Q");
    expect(subjectPath("campaign", "a/../b")).toBe("/campaigns/a%2F..%2Fb");
    expect(subjectPath("key", "key_1")).toBeNull();
    expect(subjectPath("dead_letter", "msg-1")).toBeNull();
    expect(subjectPath("__proto__", "x")).toBeNull();
  });

  it("says each field changed, with its new value where the log kept one", () => {
    expect(
      changeSummary({
        fields: ["status", "metadata", "scopes", "name"],
        values: { status: "paused", scopes: ["stats:read"], name: "<b>Kyoto</b>" },
      }),
    ).toBe('status: paused · metadata · scopes: ["stats:read"] · name: <b>Kyoto</b>');
    expect(changeSummary({ fields: [], values: {} })).toBe("");
    expect(changeSummary({ fields: ["active"], values: { active: false } })).toBe("active: false");
  });
});

describe("actorText", () => {
  const say = (lang: "en" | "fr") => (key: string) =>
    (words[lang] as Record<string, string>)[key] ?? key;
  const names = new Map([["key_1", "Shop backend"]]);
  it("names the bridge itself for its own changes (the webhook breaker's pause), with no key or channel", () => {
    expect(actorText({ actor: "system", via: "api" }, names, say("en"))).toBe(
      "qrbridge (automatic)",
    );
    expect(actorText({ actor: "system", via: "api" }, names, say("fr"))).toBe(
      "qrbridge (automatique)",
    );
  });
  it("names a key and how it came in, as before", () => {
    expect(actorText({ actor: "key_1", via: "console" }, names, say("en"))).toBe(
      `Shop backend · ${say("en")("audit.via.console")}`,
    );
    expect(actorText({ actor: "admin", via: "api" }, names, say("en"))).toBe(
      `${say("en")("audit.admin")} · ${say("en")("audit.via.api")}`,
    );
  });
});
