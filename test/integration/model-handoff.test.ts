// Model-based test of the handoff lifecycle: random sequences of what the PC page, the phone, the
// app, link previewers, strangers and time do to one handoff, run against the real Worker (with
// its Durable Object, in workerd), each answer checked against the model of docs/handoffs.md
// (model-handoff-model.ts). The hand-written tests check the sequences someone thought of; this
// one checks the ones nobody did. The Worker's clock is the test's (`atClock`), starting hours
// ahead of the machine's so no alarm fires on its own: the test runs the alarm when it says.
// At the end of every run: at most one caller got the payload (a claim's replays aside), the
// status is the model's, each once-only step's hop carries one event id whoever sent it (the
// Worker, or the object a last time when a replay window closes or it is deleted), present
// exactly when the step happened, and the object's `expired` hop came once if it expired.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, it, vi } from "vitest";
import type { HandoffStatus } from "../../src/core/handoff-record";
import type { HopRow } from "../../src/core/hop-row";
import { mintKey, mintSecretKey, testKeyring } from "./helpers";
import type { ClaimRef, Cred } from "./model-handoff-ops";
import { ORIGIN } from "./model-handoff-requests";
import {
  type Cmd,
  type Fixtures,
  type GenOp,
  Run,
  type Setup,
  type Target,
} from "./model-handoff-run";

let f: Fixtures;
let spy: { mockRestore(): void };
beforeAll(async () => {
  const [secret, other] = [await mintSecretKey(), await mintSecretKey()];
  const publishable = await mintKey("publishable", ["handoffs:write"], [ORIGIN]);
  f = { keys: { secret, other, publishable }, ring: await testKeyring(), objectRows: [] };
  // The Worker's hops go to each run's list (hopCapturingWorker); the objects send theirs (the
  // expiry, and a last copy of the kept steps) through the queue binding they share with `env`.
  const hops = (env as unknown as { HOPS: { send(body: { rows: HopRow[] }): Promise<void> } }).HOPS;
  spy = vi
    .spyOn(hops, "send")
    .mockImplementation(async (body) => void f.objectRows.push(...body.rows));
});
afterAll(() => spy.mockRestore());

const openingCredArb = fc.constantFrom<Cred>("watch", "watch", "watch", "creator", "admin");
const strangerArb = fc.constantFrom<Cred>(
  "otherSecret",
  "publishable",
  "forgedWatch",
  "forgedKey",
  "none",
);
// Half the calls carry a credential that opens the handoff, so the lifecycle moves on.
const credArb = fc.oneof(openingCredArb, strangerArb);

const statusArb = fc.constantFrom<HandoffStatus>(
  "pending",
  "scanned",
  "awaiting_confirmation",
  "approved",
  "redeemed",
  "cancelled",
  "expired",
  "denied",
);

/** One operation, its PC-side calls made with `cred`. */
const opArbWith = (cred: fc.Arbitrary<Cred>): fc.Arbitrary<GenOp> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant<GenOp>({ op: "landing" }) },
    { weight: 1, arbitrary: fc.constant<GenOp>({ op: "alarm" }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("slackbot", "prefetch", "head")
        .map((bot) => ({ op: "preview", bot }) as GenOp),
    },
    {
      weight: 6,
      arbitrary: fc.record({
        op: fc.constant("resolve" as const),
        claim: fc.constantFrom<ClaimRef | "mine" | null>(null, "A", "B", "issued", "mine", "mine"),
        form: fc.constantFrom("url", "url", "scheme", "referrer"),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant("decide" as const),
        action: fc.constantFrom("approve", "approve", "deny"),
        cred,
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("cancel" as const), cred }) },
    {
      weight: 1,
      arbitrary: fc
        .record({ op: fc.constant("get" as const), cred, since: fc.option(statusArb) })
        .map(({ since, ...get }) => (since ? { ...get, since } : get)),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("event" as const),
        type: fc.constantFrom("app_open", "converted"),
        proof: fc.constantFrom("session", "session", "link"),
      }),
    },
  );
const opArb = opArbWith(credArb);
const clockArb: fc.Arbitrary<Cmd> = fc.record({
  cmd: fc.constant("clock" as const),
  to: fc.constantFrom<Target>("tick", "expiry", "redeem", "replay", "purge"),
  delta: fc.constantFrom(-1, 0, 0, 1, 1_000, 30_000),
});
const cmdArbWith = (op: fc.Arbitrary<GenOp>): fc.Arbitrary<Cmd> =>
  fc.oneof(
    { weight: 9, arbitrary: op.map((o) => ({ cmd: "op", op: o }) as Cmd) },
    { weight: 2, arbitrary: clockArb },
  );
const cmdArb = cmdArbWith(opArb);
const batchArb: fc.Arbitrary<Cmd> = fc
  .array(opArb, { minLength: 2, maxLength: 5 })
  .map((ops) => ({ cmd: "batch", ops }));
const setupArb: fc.Arbitrary<Setup> = fc.record({
  confirm: fc.constantFrom<"none" | "pc">("none", "pc"),
  createdBy: fc.constantFrom<"server" | "page">("server", "server", "page"),
  ttl: fc.constantFrom(15, 60, 120, 900),
  redeemWindow: fc.constantFrom(900, 900, 30, 7200),
  payload: fc.option(
    fc.record({ cart: fc.nat(999), items: fc.array(fc.string(), { maxLength: 2 }) }),
  ),
  ms: fc.nat(999),
});

async function play(setup: Setup, cmds: Cmd[]): Promise<void> {
  const run = new Run(f, setup);
  await run.create();
  for (const c of cmds) await run.exec(c);
  await run.finish();
}

describe("the handoff lifecycle against its model", () => {
  it("random sequences of scans, resolves, decisions, cancels, reads and time", async () => {
    await fc.assert(
      fc.asyncProperty(setupArb, fc.array(cmdArb, { minLength: 4, maxLength: 16 }), play),
      { seed: 20261207, numRuns: 40 },
    );
  }, 180_000);

  it('confirm: "pc" with the PC page\'s own credentials: claims, crossed and repeated decisions', async () => {
    const pc = setupArb.map((s): Setup => ({ ...s, confirm: "pc" }));
    const cmds = fc.array(cmdArbWith(opArbWith(openingCredArb)), { minLength: 4, maxLength: 16 });
    await fc.assert(fc.asyncProperty(pc, cmds, play), { seed: 20261209, numRuns: 30 });
  }, 180_000);

  it("with 2–5 operations at once at a random point: the answers are those of one order", async () => {
    const cmds = fc
      .tuple(fc.array(cmdArb, { maxLength: 6 }), batchArb, fc.array(cmdArb, { maxLength: 4 }))
      .map(([before, batch, after]) => [...before, batch, ...after]);
    await fc.assert(fc.asyncProperty(setupArb, cmds, play), { seed: 20261208, numRuns: 40 });
  }, 180_000);
});
