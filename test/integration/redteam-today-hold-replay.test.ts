// Red team of the webhook hold bounds (store/webhook-hold-expiry.ts) against the dead-letter
// replay (store/dead-letters.ts): "Retry now" is a 409 while an endpoint is paused, since the
// delivery would only be held again; a replay of the delivery's dead letter took no such care.
// An `expired` delivery replayed during the pause went back to `pending`, was held again by the
// consumer, and the next cron expired it a second time: `hold_expired` counted one delivery
// twice, and a resume before that cron sent a delivery the log had called not kept. And the cron,
// a resume and two drain steps at once, round after round in every order: that one held.
import { describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env";
import { deadLetterStatement } from "../../src/store/dead-letter-store";
import { replayDeadLetters } from "../../src/store/dead-letters";
import { runMaintenance } from "../../src/store/maintenance";
import { drainStep } from "../../src/store/webhook-drain";
import { expireHeld } from "../../src/store/webhook-hold-expiry";
import { runQueue, testConfig } from "./hop-helpers";
import { capturingQueue, receiver, webhookKeyForFile, webhookMessages } from "./webhooks-helpers";
import { DAY, db, HOUR, holdKit, rowOf } from "./webhooks-hold-helpers";

const key = webhookKeyForFile();
const { patch, view, pausedHolding } = holdKit(key);

async function letterFor(delivery: string, letter: string): Promise<void> {
  await deadLetterStatement(db(), "qrbridge-webhooks-dlq", {
    id: letter,
    body: { t: "webhook", id: delivery },
    attempts: 3,
    error: "retries exhausted",
  }).run();
}

const replayedAt = (letter: string) =>
  db()
    .prepare("SELECT replayed_at FROM dead_letters WHERE id = ?")
    .bind(letter)
    .first<number | null>("replayed_at");

describe("a dead letter replayed while its endpoint is paused", () => {
  it("leaves an expired delivery expired and counted once; the letter waits for the resume", async () => {
    const config = await testConfig();
    const now = Date.now();
    const { hook, ids } = await pausedHolding("replay-expired", [8 * DAY], now);
    const [delivery] = ids as [string];
    expect((await expireHeld(db(), now)).expired).toBe(1);
    expect((await rowOf(delivery))?.status).toBe("expired");

    const letter = `rt-replay-${delivery}`;
    await letterFor(delivery, letter);
    const queue = capturingQueue();
    const report = await replayDeadLetters(queue.env, config, [letter], now + HOUR);
    // Whatever the replay queued reaches the consumer, as in production.
    await runQueue("qrbridge-webhooks", webhookMessages(queue.sent.map((m) => m.id)), queue.env);
    await expireHeld(db(), now + 2 * HOUR);

    expect((await view(hook)).hold_expired?.count).toBe(1);
    expect((await rowOf(delivery))?.status).toBe("expired");
    expect(report.replayed).toBe(0);
    expect(report.skipped).toEqual([{ id: letter, reason: expect.stringMatching(/paused/) }]);
    expect(await replayedAt(letter)).toBeNull();

    // Resumed: the expired delivery is not released; the letter replays it then, once (as
    // "Retry now" would once resumed).
    const seen = receiver(204);
    const resumed = capturingQueue();
    expect((await patch(resumed.env, hook, { enabled: true })).released).toBe(0);
    const after = capturingQueue();
    expect((await replayDeadLetters(after.env, config, [letter], now + 3 * HOUR)).replayed).toBe(1);
    await runQueue("qrbridge-webhooks", webhookMessages(after.sent.map((m) => m.id)), after.env);
    expect(seen.map((s) => s.headers.get("webhook-id"))).toEqual([delivery]);
    expect((await view(hook)).hold_expired?.count).toBe(1);
  });

  it("leaves a held delivery held (the resume sends it), and replays the letters of active endpoints", async () => {
    const config = await testConfig();
    const now = Date.now();
    const paused = await pausedHolding("replay-held", [DAY], now);
    const active = await pausedHolding("replay-active", [DAY], now);
    await patch(capturingQueue().env, active.hook, { enabled: true });
    const [heldOne] = paused.ids as [string];
    const [activeOne] = active.ids as [string];
    await db()
      .prepare("UPDATE webhook_deliveries SET status = 'failed' WHERE id = ?")
      .bind(activeOne)
      .run();
    await letterFor(heldOne, `rt-held-${heldOne}`);
    await letterFor(activeOne, `rt-active-${activeOne}`);
    const queue = capturingQueue();
    const report = await replayDeadLetters(
      queue.env as Env,
      config,
      [`rt-held-${heldOne}`, `rt-active-${activeOne}`],
      now,
    );
    expect(report.replayed).toBe(1);
    expect(report.skipped.map((s) => s.id)).toEqual([`rt-held-${heldOne}`]);
    expect(queue.sent.map((m) => m.id)).toEqual([activeOne]);
    expect((await rowOf(heldOne))?.status).toBe("held");
    expect((await rowOf(activeOne))?.status).toBe("pending");
  });
});

describe("the cron, a resume and drain steps at once", () => {
  it("8 rounds: each delivery expired or queued, never both, queued once, sent once; the count exact", async () => {
    const config = await testConfig();
    const pace = { pages: 1, page: 4, delaySeconds: 0 };
    for (let round = 0; round < 8; round++) {
      const now = Date.now();
      // 6 past the window, 10 inside it; the order of the racers changes each round.
      const ages = [...Array(6).keys()]
        .map((i) => 8 * DAY + i)
        .concat([...Array(10).keys()].map((i) => DAY + i));
      const { hook, ids } = await pausedHolding(`race-all-${round}`, ages, now);
      const queues = [0, 1, 2, 3].map(() => capturingQueue());
      const racers = [
        () => runMaintenance(queues[0]!.env, config, now),
        () => patch(queues[1]!.env, hook, { enabled: true }),
        () => drainStep(queues[2]!.env, config, hook, now, pace),
        () => drainStep(queues[3]!.env, config, hook, now, pace),
      ];
      const order = racers.map((_, i) => racers[(i + round) % racers.length]!);
      await Promise.all(order.map((run) => run()));
      // What a lost chain leaves, the backstop and the steps pick up.
      const after = capturingQueue();
      await runMaintenance(after.env, config, now);

      const queued = [...queues, after]
        .flatMap((q) => q.sent)
        .filter((m) => m.t === "webhook" && ids.includes(m.id))
        .map((m) => m.id);
      expect(new Set(queued).size, `round ${round}`).toBe(queued.length);
      const states = await Promise.all(ids.map(async (id) => (await rowOf(id))?.status));
      const expired = ids.filter((_, i) => states[i] === "expired");
      expect(
        expired.every((id) => ids.indexOf(id) < 6),
        `round ${round}`,
      ).toBe(true);
      expect(
        states.filter((st) => st === "held"),
        `round ${round}`,
      ).toEqual([]);
      expect([...queued].sort()).toEqual(ids.filter((id) => !expired.includes(id)).sort());
      expect((await view(hook)).hold_expired?.count ?? 0).toBe(expired.length);
      const seen = receiver(204);
      await runQueue("qrbridge-webhooks", webhookMessages(ids));
      await runQueue("qrbridge-webhooks", webhookMessages(ids, 2));
      const sent = seen.map((r) => r.headers.get("webhook-id")!);
      expect(sent.sort()).toEqual([...queued].sort());
      vi.restoreAllMocks();
    }
  });
});
