// A model-based test of the QR login: random sequences of scans (two phones, claims, forged and
// expired links), approvals and denials (right, stale and made-up handles, other keys, the
// publishable key), reads, exchanges (right and wrong verifier, forged and replayed tickets) and
// time passing (the Worker's clock moved to each deadline, the object's alarm run) go through the
// real Worker, and every answer is checked against the model (model-login-model.ts). A second
// property fires a burst of 2–5 calls at once and accepts only answers some order of them
// explains. At the end of each run: one exchange at most, after an approval with the winning
// phone's handle and with the PC's verifier, handing over what was approved, and every step's
// hop sent once.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { atClock } from "./helpers";
import { burstArb, type Cmd, commandsArb, setupArb } from "./model-login-commands";
import {
  concrete,
  createRun,
  type Keys,
  keepHandle,
  mintKeys,
  modelWorker,
  type Run,
  requestOf,
  runAlarm,
  seenOf,
  timeAfter,
} from "./model-login-driver";
import { judge } from "./model-login-judge";
import {
  alarm,
  type Call,
  type HopCounts,
  type LoginModel,
  newModel,
  type Seen,
  type World,
} from "./model-login-model";

let keys: Keys;
beforeAll(async () => {
  keys = await mintKeys();
});

/**
 * A fixed instant years ahead of the machine's clock (2031-06-01T00:00:00.400Z): no real alarm of
 * these logins fires while they run, and a run replays the same whatever the machine's time.
 */
const startOf = () => Date.UTC(2031, 5, 1) + 400;

interface Entry {
  t: number;
  call: Call;
  seen: Seen;
}

/** Every order of `calls` that explains `seens`, from every candidate model: the models after. */
function linearize(
  models: LoginModel[],
  calls: Call[],
  seens: Seen[],
  t: number,
  w: World,
): LoginModel[] {
  const orders = permutations(calls.map((_, i) => i));
  const out = new Map<string, LoginModel>();
  for (const m of models)
    for (const order of orders) {
      let cur: LoginModel | null = m;
      for (const i of order) {
        const v = judge(cur, calls[i]!, t, seens[i]!, w);
        cur = v.ok ? v.model : null;
        if (!cur) break;
      }
      if (cur) out.set(JSON.stringify(cur), cur);
    }
  return [...out.values()];
}

function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) =>
    permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]),
  );
}

/** The hops the Worker sent for this login, step hops counted once per event id. */
function hopCounts(rows: HopRow[], id: string): HopCounts & { created: number; copies: string[] } {
  const mine = rows.filter((r) => r.subject_id === id);
  const copies: string[] = [];
  const count = (hop: string) => {
    const of = mine.filter((r) => r.hop === hop);
    if (new Set(of.map((r) => r.event_id)).size !== of.length) copies.push(hop);
    return of.length;
  };
  return {
    created: count("created"),
    scanned: count("scanned"),
    approved: count("approved"),
    denied: count("denied"),
    exchanged: count("exchanged"),
    rejected: count("rejected"),
    copies,
  };
}

/**
 * The promises, read from the answers alone: at most one exchange; it came with the PC's
 * verifier after an approval whose handle the winning phone was given, and handed over what
 * that approval said.
 */
function checkPromises(trace: Entry[]): void {
  const ok = (e: Entry, op: Call["op"]) => e.call.op === op && e.seen.status === 200;
  const exchanges = trace.filter((e) => ok(e, "exchange"));
  expect(exchanges.length).toBeLessThanOrEqual(1);
  const scans = trace.filter((e) => ok(e, "scan"));
  const winner = scans[0]?.call.op === "scan" ? scans[0].call.phone : null;
  const approvals = trace.filter((e) => ok(e, "approve") && e.seen.body.status === "approved");
  for (const a of approvals) {
    const handle = a.call.op === "approve" ? a.call.handle : null;
    const from = scans.find((s) => s.seen.body.scan === handle);
    expect(from && from.call.op === "scan" && from.call.phone).toBe(winner);
  }
  const ex = exchanges[0];
  if (ex?.call.op !== "exchange") return;
  expect(ex.call.verifier).toBe("right");
  const approval = approvals.find((a) => trace.indexOf(a) < trace.indexOf(ex));
  if (approval?.call.op !== "approve") throw new Error("an exchange without an approval before it");
  expect(ex.seen.body.subject).toBe(approval.call.subject);
  expect(ex.seen.body.claims).toEqual(approval.call.claims ?? null);
}

/** One run: create, then each command (and the burst before command `burst.at`), every answer judged. */
async function drive(
  setup: { creator: "publishable" | "backend"; ttl?: number },
  cmds: Cmd[],
  burst: { at: number; cmds: Cmd[] } | null = null,
): Promise<void> {
  const { send, rows } = modelWorker();
  const t0 = startOf();
  let t = t0;
  const run: Run = await createRun(send, keys, setup, t);
  const w: World = {
    loginId: run.id,
    createdBy: run.createdBy,
    keyIds: { backend: keys.backend.id, other: keys.other.id },
  };
  let models = [newModel(run.expiresAt)];
  const trace: Entry[] = [];
  const log: string[] = [];
  const fail = (why: string) => {
    throw new Error(`${why}\n${log.join("\n")}`);
  };
  const sendAt = async (c: Call) => seenOf(send, await requestOf(c, run, keys, t));
  const steps = [...cmds];
  if (burst) steps.splice(Math.min(burst.at, steps.length), 0, { k: "burst" } as never);
  for (const cmd of steps as (Cmd | { k: "burst" })[]) {
    if (cmd.k === "burst") {
      const calls = burst!.cmds.map((b) => concrete(b, run));
      const seens = await atClock(t, () => Promise.all(calls.map(sendAt)));
      calls.forEach((c, i) => {
        log.push(
          `+${t - t0} ‖ ${JSON.stringify(c)} → ${seens[i]!.status} ${seens[i]!.body.error ?? ""}`,
        );
        trace.push({ t, call: c, seen: seens[i]! });
      });
      models = linearize(models, calls, seens, t, w);
      if (models.length === 0) fail("no order of the burst explains its answers");
      for (const [i, c] of calls.entries()) keepHandle(run, c, seens[i]!);
    } else if (cmd.k === "alarm") {
      const had = await runAlarm(run.id, t);
      log.push(`+${t - t0} alarm → ${had}`);
      models = models.filter((m) => had === (m.status !== "purged")).map((m) => alarm(m, t));
      if (models.length === 0) fail("the alarm was set for no candidate");
    } else if (cmd.k === "wait" || cmd.k === "sleep") {
      t = timeAfter(cmd, models[0]!, t);
      log.push(`clock → +${t - t0}`);
    } else {
      const c = concrete(cmd, run);
      const seen = await atClock(t, () => sendAt(c));
      log.push(
        `+${t - t0} ${JSON.stringify(c)} → ${seen.status} ${JSON.stringify(seen.body).slice(0, 120)}`,
      );
      trace.push({ t, call: c, seen });
      const verdicts = models.map((m) => judge(m, c, t, seen, w));
      const next = verdicts.flatMap((v) => (v.ok ? [v.model] : []));
      if (next.length === 0) fail((verdicts[0] as { why: string }).why);
      models = next;
      keepHandle(run, c, seen);
    }
  }
  const hops = hopCounts(rows, run.id);
  expect(hops.copies, "a step hop sent twice").toEqual([]);
  expect(hops.created).toBe(1);
  const counted = ({ scanned, approved, denied, exchanged, rejected }: HopCounts) =>
    JSON.stringify({ scanned, approved, denied, exchanged, rejected });
  if (!models.some((m) => counted(m.hops) === counted(hops)))
    fail(
      `hops ${counted(hops)}, the model says ${models.map((m) => counted(m.hops)).join(" or ")}`,
    );
  checkPromises(trace);
}

describe("QR login against its model", () => {
  it("random sequences: every answer as the model says, the promises kept", async () => {
    await fc.assert(
      fc.asyncProperty(setupArb, commandsArb(12), (setup, cmds) => drive(setup, cmds)),
      { seed: 20261207, numRuns: 35 },
    );
  }, 120_000);

  it("a burst of 2–5 calls at once: some order of them explains every answer", async () => {
    await fc.assert(
      fc.asyncProperty(setupArb, commandsArb(8), fc.nat(6), burstArb, (setup, cmds, at, burst) =>
        drive(setup, cmds, { at, cmds: burst }),
      ),
      { seed: 7122026, numRuns: 30 },
    );
  }, 120_000);
});
