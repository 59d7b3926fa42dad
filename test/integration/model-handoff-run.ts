// The runner of test/integration/model-handoff.test.ts: one handoff made through the real
// Worker, the operations drawn for it sent at the test's virtual time, every answer reduced to
// what the model decides (model-handoff-model.ts) and checked against every world still possible.
import { runDurableObjectAlarm } from "cloudflare:test";
import { expect } from "vitest";
import { issueEventCredential } from "../../src/core/event-credential";
import { EVENT_WINDOW_MS } from "../../src/core/handoff";
import type { HandoffStatus } from "../../src/core/handoff-record";
import type { HopRow } from "../../src/core/hop-row";
import type { Keyring } from "../../src/core/token";
import { type Created, eventually, handoffStub, storedHandoff } from "./handoffs-helpers";
import { atClock, hopCapturingWorker } from "./helpers";
import { canonical, hopsAgree, objectSent, orders, sameRecord } from "./model-handoff-checks";
import { apply, expiryOf, newWorld, purgeAt } from "./model-handoff-model";
import type { ClaimRef, LinkForm, Op, Seen, World } from "./model-handoff-ops";
import { ORIGIN, type Party, req, requestFor } from "./model-handoff-requests";

/** The file's keys (the creating secret key, another one, a publishable key) and signing keys. */
export interface Fixtures {
  keys: Party["keys"];
  /** Every hop the objects sent (the runs tell theirs apart by the handoff id). */
  objectRows: HopRow[];
  ring: Keyring;
}

/** An operation as drawn: a resolve may send `mine`, the claim the app used before (if any). */
export type GenOp =
  | Exclude<Op, { op: "resolve" }>
  | { op: "resolve"; claim: ClaimRef | "mine" | null; form: LinkForm };
export type Target = "tick" | "expiry" | "redeem" | "replay" | "purge";
export type Cmd =
  | { cmd: "op"; op: GenOp }
  | { cmd: "batch"; ops: GenOp[] }
  | { cmd: "clock"; to: Target; delta: number };

/** How a run's handoff is made. */
export interface Setup {
  confirm: "none" | "pc";
  createdBy: "server" | "page";
  ttl: number;
  payload: unknown;
  /** `QB_REDEEM_WINDOW`, seconds: shorter than the ttl, the default, or past the purge hour. */
  redeemWindow: number;
  /** The milliseconds of the virtual clock's start (which second's edge the ttl meets). */
  ms: number;
}

/** One run: the handoff, the worlds still possible, the virtual clock and what the run saw. */
/** The virtual clock's start of every run (unix ms): 2031-06-01T00:00:00Z. */
const MODEL_START = Date.UTC(2031, 5, 1);

export class Run {
  worlds: World[] = [];
  t = 0;
  h!: Created;
  issued: string | null = null;
  mine: ClaimRef | null = null;
  /** The events credential the redeeming answer carried. */
  session: string | null = null;
  receipts: (ClaimRef | null)[] = [];
  log: string[] = [];
  readonly w: ReturnType<typeof hopCapturingWorker>;

  constructor(
    private readonly f: Fixtures,
    private readonly s: Setup,
  ) {
    // Without the publishable keys' rate limiter: one key makes every page handoff of the file,
    // more than its real budget a minute, and the limit is not what this test is about.
    const window = String(s.redeemWindow);
    this.w = hopCapturingWorker({ PUBLIC_LIMITER: undefined, QB_REDEEM_WINDOW: window });
  }

  async create(): Promise<void> {
    const { s } = this;
    // A fixed instant years ahead of the machine's clock: the object's alarms never come due
    // on their own, and a run replays the same whatever the machine's time.
    this.t = MODEL_START + s.ms;
    const page = s.createdBy === "page";
    const body = {
      confirm: s.confirm,
      ttl: s.ttl,
      path: "/cart/7",
      ...(s.payload ? { payload: s.payload } : {}),
    };
    const headers = {
      authorization: `Bearer ${page ? this.f.keys.publishable : this.f.keys.secret}`,
      ...(page ? { origin: ORIGIN } : {}),
    };
    const res = await atClock(this.t, () =>
      this.w.send(req("POST", "/v1/handoffs", { headers, json: body })),
    );
    expect(res.status).toBe(201);
    this.h = await res.json();
    expect(this.h.expires_at).toBe(Math.floor(this.t / 1000) * 1000 + s.ttl * 1000);
    this.worlds = [
      newWorld(
        { confirm: s.confirm, createdBy: s.createdBy, payload: s.payload ?? null },
        this.h.expires_at,
        s.redeemWindow * 1000,
      ),
    ];
  }

  /**
   * The claim a resolve sends: `issued` only once a 202 issued one; `mine`, the app's own claim
   * (the one it claimed or redeemed with, else none), as an app that keeps its claim sends it.
   */
  claimOf(op: GenOp): ClaimRef | null {
    if (op.op !== "resolve" || op.claim === null) return null;
    if (op.claim === "mine") return this.mine;
    return op.claim === "issued" ? (this.issued ? "issued" : null) : op.claim;
  }

  request(op: Exclude<Op, { op: "alarm" }>): Request {
    const { h, issued, session } = this;
    const createdBy = this.worlds[0]!.createdBy;
    return requestFor(op, { h, issued, session, createdBy, keys: this.f.keys });
  }

  /** What an answer showed, in the model's terms (and the checks that need no model). */
  async seen(op: Op, res: Response | boolean): Promise<Seen> {
    if (typeof res === "boolean") return { status: 0, ran: res };
    expect(res.status, `${JSON.stringify(op)} answered ${res.status}`).toBeLessThan(500);
    if (op.op === "landing" || op.op === "preview") return { status: res.status };
    const body = (await res.json()) as Record<string, unknown>;
    if (res.status >= 400) {
      const state = (body.details as { status?: HandoffStatus } | undefined)?.status;
      return { status: res.status, error: body.error as string, ...(state ? { state } : {}) };
    }
    if (op.op === "event") {
      expect(body).toMatchObject({ accepted: true, kind: "handoff", subject_id: this.h.id });
      return { status: res.status };
    }
    if (op.op !== "resolve") {
      const v = body as unknown as Seen["view"] & Record<string, unknown>;
      expect(body).not.toHaveProperty("payload");
      return {
        status: res.status,
        view: {
          status: v.status,
          scanned_at: v.scanned_at,
          approved_at: v.approved_at,
          redeemed_at: v.redeemed_at,
          ended_at: v.ended_at,
          redeemable_until: v.redeemable_until,
        },
        ...("changed" in body ? { changed: body.changed as boolean } : {}),
      };
    }
    if (res.status === 202) {
      expect(body).toMatchObject({
        kind: "handoff",
        id: this.h.id,
        status: "awaiting_confirmation",
      });
      if (typeof body.claim === "string") this.issued = body.claim;
      this.mine ??=
        typeof body.claim === "string" ? "issued" : (op.op === "resolve" && op.claim) || null;
      return { status: 202, issuedClaim: "claim" in body };
    }
    // The events credential is signed from the id and the redemption time alone: the model
    // names the time, and a replay must carry the first answer's credential.
    const redeemedAt = (body.session_expires_at as number) - EVENT_WINDOW_MS;
    expect(body.session).toBe(
      (await issueEventCredential(this.f.ring, this.h.id, redeemedAt)).token,
    );
    expect(body).toMatchObject({
      kind: "handoff",
      id: this.h.id,
      path: "/cart/7",
      attribution: null,
    });
    this.session = body.session as string;
    const claim = op.op === "resolve" ? op.claim : null;
    this.receipts.push(claim);
    this.mine ??= claim;
    return {
      status: 200,
      redeemed: { payload: body.payload, created_by: body.created_by as string, redeemedAt },
    };
  }

  /** Keep the worlds in which every answer of `ops` (sent at once) is the one seen. */
  narrow(ops: Op[], seen: Seen[], label: string): void {
    const want = JSON.stringify(seen.map(canonical));
    const next = new Map<string, World>();
    const expected: string[] = [];
    for (const world of this.worlds) {
      for (const order of orders(ops.map((op, i) => ({ op, i })))) {
        let w = world;
        const answers: Seen[] = new Array(ops.length);
        for (const { op, i } of order) {
          const r = apply(w, op, this.t);
          w = r.world;
          answers[i] = r.seen;
        }
        const got = JSON.stringify(answers.map(canonical));
        if (got === want) next.set(JSON.stringify(w), w);
        else expected.push(got);
      }
    }
    this.log.push(`${label} at +${this.t - this.h.expires_at}ms → ${want}`);
    if (next.size === 0)
      throw new Error(
        `the Worker left the model:\n${this.log.join("\n")}\nexpected one of:\n${[...new Set(expected)].join("\n")}`,
      );
    this.worlds = [...next.values()];
  }

  async exec(c: Cmd): Promise<void> {
    if (c.cmd === "clock") {
      const w = this.worlds[0]!;
      const base = {
        tick: this.t,
        expiry: w.expiresAt,
        redeem: expiryOf(w) ?? this.t,
        replay: w.replayUntil ?? this.t,
        purge: purgeAt(w) ?? this.t,
      }[c.to];
      this.t = Math.max(this.t, base + c.delta);
      return;
    }
    // A resolve's claim is fixed when it is sent (`issued` names nothing until a 202 issued one);
    // an event sends the session once one came, else the link.
    const ops = (c.cmd === "op" ? [c.op] : c.ops).map((op): Op => {
      if (op.op === "resolve") return { ...op, claim: this.claimOf(op) };
      if (op.op === "event" && !this.session) return { ...op, proof: "link" };
      return op;
    });
    const [prev, before] = [this.worlds, await storedHandoff(this.h.id)];
    const stub = handoffStub(this.h.id);
    const answers = await atClock(this.t, () =>
      Promise.all(
        ops.map((op) =>
          op.op === "alarm" ? runDurableObjectAlarm(stub) : this.w.send(this.request(op)),
        ),
      ),
    );
    const seen: Seen[] = [];
    for (const [i, op] of ops.entries()) seen.push(await this.seen(op, answers[i]!));
    this.narrow(ops, seen, JSON.stringify(ops));
    // What the model says changes nothing (a read, a preview, a refusal, a repeat, a replay)
    // leaves the stored record as it was, to the byte.
    if (prev.length === 1 && this.worlds.length === 1 && sameRecord(prev[0]!, this.worlds[0]!))
      expect(await storedHandoff(this.h.id), JSON.stringify(ops)).toEqual(before);
  }

  /** The end of a run: the status, one payload winner, each step's hop once. */
  async finish(): Promise<void> {
    await this.exec({ cmd: "op", op: { op: "get", cred: "admin" } });
    const claimless = this.receipts.filter((r) => r === null).length;
    const claimed = new Set(this.receipts.filter((r) => r !== null));
    expect(
      claimless + claimed.size,
      `payload given to ${JSON.stringify(this.receipts)}`,
    ).toBeLessThanOrEqual(1);
    const ours = (rows: HopRow[]) => rows.filter((r) => r.subject_id === this.h.id);
    const worker = ours(this.w.rows);
    expect(worker.filter((r) => r.hop === "created")).toHaveLength(1);
    // The object sends its own hops from its waitUntil: wait for those some world expects.
    const object = await eventually(() => {
      const rows = ours(this.f.objectRows);
      return this.worlds.some((w) => objectSent(rows, w, "at least")) && rows;
    }, `the object's hops of ${this.h.id}`);
    const shown = (rows: HopRow[]) => JSON.stringify(rows.map((r) => [r.hop, r.event_id]));
    expect(
      this.worlds.some((w) => hopsAgree(worker, object, w)),
      `hops ${shown(worker)}, the object's ${shown(object)}, for ${JSON.stringify(this.worlds)}\n${this.log.join("\n")}`,
    ).toBe(true);
  }
}
