// The console's delivery log line about retries (src/client/console/delivery-retry.js): when a
// failing delivery is tried next and how many tries are left, or how many it made before giving
// up, in both of the console's languages.
import { describe, expect, it } from "vitest";
import { retryNote, waitText } from "../../src/client/console/delivery-retry.js";
import { words } from "../../src/client/console/words.js";

/** `t()` of lib.js for one language (lib.js itself reads the page, so it is not imported here). */
const wordsOf =
  (lang: "en" | "zh") =>
  (key: string, vars?: Record<string, string | number>): string => {
    const text = (words[lang] as Record<string, string>)[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? String(vars[k]) : m));
  };
const en = wordsOf("en");
const zh = wordsOf("zh");
const now = 1_767_225_600_000;

describe("the delivery log's retry line", () => {
  it("says when a retrying delivery is tried next and how many tries are left", () => {
    const d = { status: "retrying", attempts: 3, next_attempt_at: now + 240_000, attempts_left: 6 };
    expect(retryNote(d, now, en, "en")).toBe("next try in 4 min · 6 tries left");
    expect(retryNote(d, now, zh, "zh-CN")).toBe("4分钟后重试 · 还剩 6 次");
    expect(retryNote({ ...d, attempts_left: 1 }, now, en, "en")).toBe(
      "next try in 4 min · 1 try left",
    );
  });

  it("says a try is due now once its time has passed (a pending one, or a late queue)", () => {
    const d = { status: "pending", attempts: 0, next_attempt_at: now - 5_000, attempts_left: 9 };
    expect(retryNote(d, now, en, "en")).toBe("next try due now · 9 tries left");
  });

  it("says how many tries were made before giving up, and nothing when delivered", () => {
    const gaveUp = { status: "failed", attempts: 9, next_attempt_at: null, attempts_left: 0 };
    expect(retryNote(gaveUp, now, en, "en")).toBe("gave up after 9 tries");
    expect(retryNote(gaveUp, now, zh, "zh-CN")).toBe("尝试 9 次后放弃");
    expect(retryNote({ ...gaveUp, attempts: 1 }, now, en, "en")).toBe("gave up after 1 try");
    // Its endpoint deleted before any try: the last error says so, no count to give.
    expect(retryNote({ ...gaveUp, attempts: 0 }, now, en, "en")).toBe("");
    const delivered = { status: "delivered", attempts: 2, next_attempt_at: null, attempts_left: 0 };
    expect(retryNote(delivered, now, en, "en")).toBe("");
  });

  it("reads waits in the unit a person would use", () => {
    expect(waitText(30_000, "en")).toBe("30 sec");
    expect(waitText(59_400, "en")).toBe("59 sec");
    expect(waitText(3_600_000, "en")).toBe("1 hr");
    expect(waitText(5_400_000, "zh-CN")).toBe("1.5小时");
    // Never "0 sec": a try due within the second is still to come.
    expect(waitText(200, "en")).toBe("1 sec");
  });
});
