/**
 * `HandoffObject`: one Durable Object per live handoff, named by the handoff id. It is
 * single-threaded and keeps its one record in the SQLite-backed synchronous KV API
 * (`ctx.storage.kv`): every transition is read → check → write with no `await` in between, so
 * it is atomic without transactions or input-gate reasoning (100 concurrent redeems → 1 winner).
 * One small record read and written whole needs no schema, which is why KV and not `sql`; the
 * object keeps a copy of it in memory (stored-record.ts).
 *
 * Methods are called over RPC by the Worker routes, which authenticate API keys; the object
 * checks that the caller may see *this* handoff (creating key, admin, or the watch secret's
 * hash). Results are plain `{ok: false, error}` values rather than thrown errors, so they cross
 * RPC with their codes intact. The PC page is pushed each change over hibernatable WebSockets
 * (`fetch` accepts the upgrade) or waits in `waitForChange` (long-poll). That plumbing, the
 * `expired` hop, and the alarm that expires the handoff and, after a grace period, deletes its
 * storage are the shell it shares with `LoginObject` (record-object.ts). See docs/storage.md.
 *
 * The class a Worker exports is the one `createBridge(options)` returns ({@link bindHandoffObject}):
 * it reads the bridge's own resolved configuration, so the hops it records with no request
 * behind them (an expiry, from the alarm or any call) follow the same options as the Worker's.
 */
import type { BridgeConfig } from "../config";
import { ApiError, errorResponse } from "../core/errors";
import {
  alarmTime,
  expireIfDue,
  type HandoffEvent,
  isRepeatedDecision,
  isTerminal,
  purgeTime,
  step,
} from "../core/handoff";
import {
  type HandoffHopFacts,
  type HandoffStepHopInput,
  handoffStepHops,
} from "../core/handoff-hops";
import type { HandoffDevice } from "../core/handoff-parties";
import {
  type HandoffRecord,
  type HandoffStatus,
  type NewHandoff,
  newHandoff,
} from "../core/handoff-record";
import { closeReplayIfDue, type ReplayHops } from "../core/handoff-replay";
import type { Env } from "../env";
import { accessTo } from "./handoff-access";
import { type HandoffTx, resolveIn } from "./handoff-redeem";
import {
  type Access,
  approvalRefusal,
  type EventFacts,
  type Failure,
  fail,
  type HandoffView,
  type ResolveResult,
  refusal,
  type ScanResult,
  scanFacts,
  statusMessage,
  view,
} from "./handoffs";
import { RecordObject } from "./record-object";
import { resendHandoffHops } from "./resend-hops";

/** The PC's decision, with its once-only hop for the Worker to send (core/handoff-hops.ts). */
type Decided = { ok: true; handoff: HandoffView; hops: HandoffStepHopInput[] };

/**
 * The handoff Durable Object (bound as `HANDOFF`): export the class a bridge returns,
 * `bridge.HandoffObject`, from your Worker as `HandoffObject`.
 */
export class HandoffObject extends RecordObject<HandoffRecord> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, {
      key: "handoff",
      kind: "handoff",
      message: statusMessage,
      isFinal: isTerminal,
      // Due on any access and by alarm: the expiry, and the end of a redemption's replay window.
      expireIfDue: (rec, now) => expireIfDue(rec, now) ?? closeReplayIfDue(rec, now),
      alarmTime,
      purgeAt: (rec) => (isTerminal(rec.status) ? purgeTime(rec) : null),
    });
  }

  /** Store a new pending handoff and arm its expiry. */
  async create(input: NewHandoff): Promise<{ ok: true; handoff: HandoffView } | Failure> {
    if (this.stored.load()) return fail("conflict", "this handoff already exists");
    const rec = newHandoff(input, Date.now());
    this.stored.save(rec);
    await this.ctx.storage.setAlarm(alarmTime(rec));
    return { ok: true, handoff: view(rec) };
  }

  /** The handoff's status, for its owner. */
  async get(access: Access): Promise<{ ok: true; handoff: HandoffView } | Failure> {
    const rec = accessTo(this.current(), access);
    return "ok" in rec ? rec : { ok: true, handoff: view(rec) };
  }

  /**
   * A human scanned the QR: pending → scanned (later scans change nothing). `hopFacts`: the scan
   * request's, kept for its hops' copies; the answer carries those hops (core/handoff-hops.ts).
   */
  async scan(device: HandoffDevice, hopFacts?: HandoffHopFacts): Promise<ScanResult | Failure> {
    const rec = this.current();
    if (!rec) return fail("not_found", "no such handoff");
    let now = rec;
    if (rec.status === "pending") {
      now = this.commit(rec, "scan", { device, via: "page", hopFacts });
      await this.armAlarm();
    }
    if (isTerminal(now.status)) return refusal(now.status);
    return {
      ok: true,
      changed: now !== rec,
      status: now.status,
      path: now.path,
      metadata: now.metadata,
      created_by: now.created_by ?? null,
      created_at: now.created_at,
      expires_at: now.expires_at,
      hops: now === rec ? [] : await handoffStepHops(now, "scanned"),
    };
  }

  /**
   * The app redeems. Without confirmation: scanned (or pending: the app opened straight from
   * the QR, so this records the scan too) → redeemed, once. With `confirm: "pc"`: the first
   * call claims the handoff (→ awaiting_confirmation) and gets a claim secret; once the PC
   * approves, the claimant's next call redeems. A redemption with a claim is answered again to
   * the same claim for the replay window (core/handoff-replay.ts); every redemption keeps
   * `request` (the redeeming request's hop facts) for its hops' copies until that window
   * closes. `via`: how the app was reached, when it is known (core/app-via.ts); kept for the handoff's later app events.
   */
  async resolve(
    device: HandoffDevice,
    claim: string | null,
    via: string | null = null,
    request: Omit<ReplayHops, "scanned"> | null = null,
  ): Promise<ResolveResult> {
    const tx: HandoffTx = {
      current: () => this.current(),
      commit: (rec, event, extra) => this.commit(rec, event, extra),
      armAlarm: () => this.armAlarm(),
    };
    return resolveIn(tx, { device, claim, via, request });
  }

  /** What an app event needs: the status, the redemption time and the scan's device. */
  async eventFacts(): Promise<EventFacts | Failure> {
    const rec = this.current();
    if (!rec) return fail("not_found", "no such handoff (or it has been deleted)");
    return {
      ok: true,
      status: rec.status,
      created_at: rec.created_at,
      redeemed_at: rec.redeemed_at,
      redeemed_via: rec.redeemed_via ?? null,
      scan: scanFacts(rec),
    };
  }

  /** The PC approves the claimant (`confirm: "pc"`): awaiting_confirmation → approved. */
  approve(access: Access, hopFacts?: HandoffHopFacts): Promise<Decided | Failure> {
    return this.decide(access, "approve", hopFacts);
  }

  /** The PC denies (`confirm: "pc"`): scanned or awaiting_confirmation → denied. */
  deny(access: Access, hopFacts?: HandoffHopFacts): Promise<Decided | Failure> {
    return this.decide(access, "deny", hopFacts);
  }

  /**
   * Cancel a live handoff. Cancelling a cancelled one again is a no-op (no hop). `hopFacts`: the
   * cancelling request's, kept for its hop's copies; the answer carries that once-only hop.
   */
  async cancel(
    access: Access,
    hopFacts?: HandoffHopFacts,
  ): Promise<(Decided & { changed: boolean }) | Failure> {
    const rec = accessTo(this.current(), access);
    if ("ok" in rec) return rec;
    if (rec.status === "cancelled")
      return { ok: true, handoff: view(rec), changed: false, hops: [] };
    const r = await this.ownerEvent(access, "cancel", hopFacts);
    if (!r.ok) return r;
    return { ok: true, handoff: r.handoff, changed: true, hops: await this.hopsOf(r.record) };
  }

  /**
   * Long-poll: answer when the status differs from `since` (default: the status now), or after
   * `timeoutMs` with the unchanged status.
   */
  async waitForChange(
    access: Access,
    since: HandoffStatus | null,
    timeoutMs: number,
  ): Promise<{ ok: true; handoff: HandoffView; changed: boolean } | Failure> {
    const rec = accessTo(this.current(), access);
    if ("ok" in rec) return rec;
    const from = since ?? rec.status;
    if (rec.status === from && !isTerminal(from)) await this.watchers.nextChange(timeoutMs);
    const now = this.current();
    if (!now) return fail("not_found", "no such handoff");
    return { ok: true, handoff: view(now), changed: now.status !== from };
  }

  /** WebSocket upgrade for `/v1/handoffs/:id/events`; the Worker passes the access as a header. */
  override async fetch(request: Request): Promise<Response> {
    const access = this.upgradeAccess<Access>(request);
    if (access instanceof Response) return access;
    const rec = accessTo(this.current(), access);
    if ("ok" in rec) return errorResponse(new ApiError(rec.error, rec.message));
    return this.watchers.accept(rec);
  }

  // ——— internals ———

  /** `hopFacts`: the deciding request's, kept for its hop's copies; the answer carries that hop. */
  private async decide(
    access: Access,
    event: "approve" | "deny",
    hopFacts?: HandoffHopFacts,
  ): Promise<Decided | Failure> {
    // A repeat (a lost answer retried, a double click) is answered as it is, with no hop and no
    // push; checked with no await before the step, so of concurrent approvals one steps.
    const rec = accessTo(this.current(), access);
    if (!("ok" in rec) && rec.confirm === "pc" && isRepeatedDecision(rec, event))
      return { ok: true, handoff: view(rec), hops: [] };
    const r = await this.ownerEvent(access, event, hopFacts);
    return r.ok ? { ok: true, handoff: r.handoff, hops: await this.hopsOf(r.record) } : r;
  }

  /** The once-only hop of the owner's step that led to `rec` (approved, denied, cancelled). */
  private hopsOf(rec: HandoffRecord): Promise<HandoffStepHopInput[]> {
    const hop = rec.status;
    return hop === "approved" || hop === "denied" || hop === "cancelled"
      ? handoffStepHops(rec, hop)
      : Promise.resolve([]);
  }

  private async ownerEvent(
    access: Access,
    event: "approve" | "deny" | "cancel",
    hopFacts?: HandoffHopFacts,
  ): Promise<{ ok: true; handoff: HandoffView; record: HandoffRecord } | Failure> {
    const rec = accessTo(this.current(), access);
    if ("ok" in rec) return rec;
    if (event !== "cancel" && rec.confirm !== "pc")
      return fail("conflict", `${event} is only for handoffs created with confirm: "pc"`);
    const r = step(rec, event, Date.now(), { hopFacts });
    if (!r.ok) return event === "approve" ? approvalRefusal(r.status) : refusal(r.status);
    this.persist(r.record, rec);
    await this.armAlarm();
    return { ok: true, handoff: view(r.record), record: r.record };
  }

  /** Write; a closing replay window sends the kept hops a last time (resend-hops.ts). */
  protected override persist(next: HandoffRecord, prev: HandoffRecord, message?: object): void {
    super.persist(next, prev, message);
    if (prev.replay_hops && !next.replay_hops) this.resend(prev);
  }

  /** Before the handoff is deleted: what it still keeps (a redeemed one sent it already). */
  protected override beforePurge(rec: HandoffRecord): void {
    this.resend(rec);
  }

  private resend(rec: HandoffRecord): void {
    this.ctx.waitUntil(resendHandoffHops(this.env, this.ctx, this.bridgeConfig(), rec));
  }

  /** Apply an allowed event synchronously; throws only on a programming error. */
  private commit(
    rec: HandoffRecord,
    event: HandoffEvent,
    extra: Parameters<typeof step>[3],
  ): HandoffRecord {
    const r = step(rec, event, Date.now(), extra);
    if (!r.ok) throw new Error(`handoff: ${event} not allowed from ${rec.status}`);
    this.persist(r.record, rec);
    return r.record;
  }
}

/**
 * The `HandoffObject` class of one bridge: the same object, reading `config` (the bridge's
 * resolved options for the object's env) for the hops it records itself.
 *
 * @example
 * const bridge = createBridge(options); // bridge.HandoffObject = bindHandoffObject(bridge.config)
 * export const HandoffObject = bridge.HandoffObject;
 */
export function bindHandoffObject(
  config: (env: Env) => Promise<BridgeConfig>,
): typeof HandoffObject {
  return class BridgeHandoffObject extends HandoffObject {
    protected override bridgeConfig(): Promise<BridgeConfig> {
      return config(this.env);
    }
  };
}
