/**
 * `RecordObject`: the shell of a Durable Object that keeps one short-lived record and tells a
 * PC page of its changes — the record in synchronous KV storage (`StoredRecord`), its watchers
 * (`RecordWatchers`), expiry on every access and by alarm, and deletion of everything after a
 * grace period. A subclass brings its state machine as {@link RecordRules} and its own methods;
 * `HandoffObject` and `LoginObject` are the two.
 */
import { DurableObject } from "cloudflare:workers";
import type { BridgeConfig } from "../config";
import { ApiError, errorResponse } from "../core/errors";
import type { Env } from "../env";
import {
  closeWatcher,
  RecordWatchers,
  type WatchedRecord,
  type WatchRules,
} from "./record-watchers";
import { StoredRecord } from "./stored-record";

/** A record type's rules: where it is stored, when it expires, when it may be deleted. */
export interface RecordRules<R extends WatchedRecord> extends WatchRules<R> {
  /** The storage key of the record. */
  key: string;
  /** The record expired at `now`, or null when nothing is due. */
  expireIfDue(rec: R, now: number): R | null;
  /** When the object should wake next (a deadline, or the purge time). */
  alarmTime(rec: R): number;
  /** When an ended record may be deleted; null while it is live. */
  purgeAt(rec: R): number | null;
}

export abstract class RecordObject<R extends WatchedRecord> extends DurableObject<Env> {
  /** WebSockets, long-polls and the expiry hop: told of every transition by `persist`. */
  protected readonly watchers: RecordWatchers<R>;
  /** The record, and its copy in memory. */
  protected readonly stored: StoredRecord<R>;

  constructor(
    ctx: DurableObjectState,
    env: Env,
    private readonly rules: RecordRules<R>,
  ) {
    super(ctx, env);
    this.watchers = new RecordWatchers<R>(ctx, env, rules, () => this.bridgeConfig());
    this.stored = new StoredRecord<R>(ctx.storage, rules.key);
  }

  /**
   * The bridge's resolved configuration. The class `createBridge` returns provides it (e.g.
   * `bindLoginObject`); an unbound class has none, so it records no hop of its own (and says so
   * in the log).
   */
  protected bridgeConfig(): Promise<BridgeConfig> {
    return Promise.reject(
      new Error(`export the ${this.constructor.name} class that createBridge() returns`),
    );
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    closeWatcher(ws, code, reason);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    // Any text other than the auto-answered "ping" asks for the status (never a secret in it).
    if (typeof message !== "string") return;
    const rec = this.current();
    if (rec) ws.send(JSON.stringify(this.rules.message(rec)));
  }

  /**
   * The access a WebSocket upgrade carries (the Worker passes what it vouches for as the
   * `x-qb-access` header), or the `426` answer to a request that is no upgrade.
   *
   * @example
   * const access = this.upgradeAccess<Access>(request);
   * if (access instanceof Response) return access;
   */
  protected upgradeAccess<A extends object>(request: Request): A | Response {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      const error = new ApiError("bad_request", "expected a WebSocket upgrade", undefined, 426);
      return errorResponse(error);
    }
    try {
      return JSON.parse(request.headers.get("x-qb-access") ?? "{}") as A;
    } catch {
      return {} as A;
    }
  }

  /** Expire a live record when due; delete an ended one after the grace period. */
  override async alarm(): Promise<void> {
    const rec = this.current();
    if (!rec) {
      await this.stored.deleteAll();
      return;
    }
    const purge = this.rules.purgeAt(rec);
    if (purge !== null && Date.now() >= purge) {
      this.beforePurge(rec);
      this.watchers.closeAll("gone");
      await this.ctx.storage.deleteAlarm();
      await this.stored.deleteAll();
      return;
    }
    await this.ctx.storage.setAlarm(this.rules.alarmTime(rec));
  }

  /** Called with the record just before the alarm deletes it (e.g. to send what it kept). */
  protected beforePurge(_rec: R): void {}

  /** The record, expired on the spot when its deadline passed (the alarm may be late). */
  protected current(): R | null {
    const rec = this.stored.load();
    if (!rec) return null;
    const expired = this.rules.expireIfDue(rec, Date.now());
    if (!expired) return rec;
    this.persist(expired, rec);
    // Re-arm for the purge; storage writes are held by the output gate, so no await is needed.
    this.armAlarm().catch((err) => console.error("qrbridge: could not set alarm", err));
    return expired;
  }

  /** Write, then tell everyone watching (`message`: default, the status message). */
  protected persist(next: R, prev: R, message?: object): void {
    this.stored.save(next);
    this.watchers.changed(next, prev, message);
  }

  /** Arm the alarm for the record's next deadline. */
  protected async armAlarm(): Promise<void> {
    const rec = this.stored.load();
    if (rec) await this.ctx.storage.setAlarm(this.rules.alarmTime(rec));
  }
}
