/**
 * `LoginObject`: one Durable Object per QR login, named by the login id. Like `HandoffObject`
 * it keeps one record in its synchronous KV storage and every transition is read → check →
 * write with no `await` in between, so it is atomic: the first scan wins, one approval wins,
 * one exchange wins (100 concurrent calls → one, tested). The shell it shares with handoffs
 * (record-object.ts): the PC page is pushed each change over hibernatable WebSockets or waits
 * in a long-poll, an alarm expires each state at its deadline (deny by default) and deletes the
 * storage after a grace period.
 *
 * The Worker authenticates API keys, verifies the QR token and the ticket's MAC, and hashes
 * what it is given; the object checks what only it knows: the watch secret's hash, the scan
 * handle's hash, the ticket's hash and the PKCE challenge. Results are plain `{ok: false, …}`
 * values so they cross RPC with their codes intact. See docs/logins.md and docs/storage.md.
 */

import type { BridgeConfig } from "../config";
import { ApiError, errorResponse } from "../core/errors";
import { sha256Hex } from "../core/hash";
import {
  expireLoginIfDue,
  isLoginTerminal,
  LOGIN_PURGE_GRACE_MS,
  type LoginEvent,
  type LoginStepExtra,
  loginAlarmTime,
  loginStep,
  PC_FINAL,
} from "../core/login";
import { type LoginHopFacts, type LoginStepHopInput, loginStepHops } from "../core/login-hops";
import {
  type LoginApprover,
  type LoginRecord,
  type LoginStatus,
  type NewLogin,
  newLogin,
} from "../core/login-record";
import { type ProximityPolicy, proximityOf } from "../core/proximity";
import type { Env } from "../env";
import { randomSecret } from "./handoffs";
import {
  type Approval,
  accessRefusal,
  type ExchangeAttempt,
  exchangeVerdict,
  isScanRetry,
  policyRefusal,
  repeatsDecision,
  scanRefusal,
  ticketShower,
} from "./login-checks";
import {
  decidedAsIs,
  exchangeResult,
  type LoginExchangeResult,
  type LoginScanResult,
  type LoginView,
  loginStatusMessage,
  loginView,
  type ScanClaim,
  scanResult,
} from "./login-views";
import {
  alreadyScanned,
  type LoginAccess,
  type LoginFailure,
  loginFail,
  loginRefusal,
  type RequestPlace,
} from "./logins";
import { RecordObject } from "./record-object";
import { resendLoginHops } from "./resend-hops";

type Viewed = { ok: true; login: LoginView } | LoginFailure;
/** An answer with the step's once-only hop for the Worker to send (core/login-hops.ts). */
type WithHops<T> = T & { hops: LoginStepHopInput[] };

/**
 * The QR login Durable Object (bound as `LOGIN`): export the class a bridge returns,
 * `bridge.LoginObject`, from your Worker as `LoginObject`.
 */
export class LoginObject extends RecordObject<LoginRecord> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, {
      key: "login",
      kind: "login",
      message: (rec) => loginStatusMessage(rec),
      isFinal: (status) => PC_FINAL.includes(status),
      expireIfDue: expireLoginIfDue,
      alarmTime: loginAlarmTime,
      purgeAt: (rec) =>
        isLoginTerminal(rec.status)
          ? (rec.ended_at ?? rec.changed_at) + LOGIN_PURGE_GRACE_MS
          : null,
    });
  }

  /** Store a new pending login and arm its expiry. */
  async create(input: NewLogin): Promise<Viewed> {
    if (this.stored.load()) return loginFail("conflict", "this login already exists");
    const created = newLogin(input, Date.now());
    this.stored.save(created);
    await this.ctx.storage.setAlarm(loginAlarmTime(created));
    return { ok: true, login: loginView(created) };
  }

  /** The login as its watcher may read it; `ticket` is shown only while it can be used. */
  async get(access: LoginAccess, ticket: string | null): Promise<Viewed> {
    const shown = await ticketShower(ticket);
    const rec = this.readFor(access);
    return "ok" in rec ? rec : { ok: true, login: loginView(rec, shown(rec), access) };
  }

  /**
   * Long-poll: answer when the status differs from `since` (default: the status now) or more
   * phones were refused than `otherScans` (a warning; default: as many as now), else after
   * `timeoutMs` unchanged.
   */
  async waitForChange(
    access: LoginAccess,
    since: { status: LoginStatus | null; otherScans: number | null },
    timeoutMs: number,
    ticket: string | null,
  ): Promise<{ ok: true; login: LoginView; changed: boolean } | LoginFailure> {
    const shown = await ticketShower(ticket);
    const rec = this.readFor(access);
    if ("ok" in rec) return rec;
    const from = since.status ?? rec.status;
    const quiet = rec.other_scans <= (since.otherScans ?? rec.other_scans);
    if (rec.status === from && quiet && !PC_FINAL.includes(from))
      await this.watchers.nextChange(timeoutMs);
    const now = this.current();
    if (!now) return loginFail("not_found", "no such login");
    return { ok: true, login: loginView(now, shown(now), access), changed: now.status !== from };
  }

  /**
   * The phone scanned: pending → scanned, once. The first scanner gets the `scan` handle and
   * the requester's context; any later scan is refused and the PC page is warned — unless it
   * carries the first scanner's `claim` (its `hash`) while the login is still scanned: that is
   * the first scanner asking again for an answer it lost, even with a QR past its own life
   * (`late`: the approval window outlasts it). Without a claim, the handle is random.
   */
  async scan(
    approver: LoginApprover,
    phone: RequestPlace,
    hopFacts: LoginHopFacts,
    claim: ScanClaim | null = null,
  ): Promise<WithHops<LoginScanResult> | LoginFailure> {
    const [claimHash, handle] = [claim?.hash ?? null, claim?.handle ?? randomSecret()];
    // Hash before reading state: the read → write below must have no await in between.
    const scanHash = await sha256Hex(handle);
    const rec = this.current();
    if (!rec) return loginFail("not_found", "no such login");
    if (rec.status === "expired") return loginRefusal(rec.status);
    if (isScanRetry(rec, claimHash)) {
      // A claim's handle is derived from it (routes), so this is the lost answer's own handle and
      // saving it changes nothing, unless the signing key turned over. No step, hop or push.
      const kept = { ...rec, scan_hash: scanHash };
      this.stored.save(kept);
      return { ...scanResult(kept, handle), hops: [] };
    }
    if (claim?.late) return loginFail("expired", "this login QR has expired");
    if (rec.status !== "pending") {
      this.stored.save({ ...rec, other_scans: rec.other_scans + 1 });
      const at = Date.now();
      this.watchers.broadcast({ type: "warning", code: "second_scan", at, device: approver });
      return alreadyScanned(rec.status);
    }
    const proximity = proximityOf(rec, phone);
    const step = { scanHash, claimHash, approver, proximity, hopFacts };
    const next = this.commit(rec, "scan", step);
    await this.armAlarm();
    return { ...scanResult(next, handle), hops: await loginStepHops(next, "scanned") };
  }

  /**
   * The company's backend approves the phone that holds `scan`: scanned → approved, once,
   * unless the proximity fails its policy (then → denied). The PC page is pushed the ticket;
   * `approvedBy` (the key's id) is kept for the exchange and the secret-key view.
   */
  async approve(
    scanHash: string,
    approval: Approval & { approvalHash: string },
    ticket: string,
    policy: ProximityPolicy,
    hopFacts: LoginHopFacts,
  ): Promise<WithHops<{ ok: true; login: LoginView }> | WithHops<LoginFailure> | LoginFailure> {
    const ticketHash = await sha256Hex(ticket);
    const rec = this.current();
    if (!rec) return loginFail("not_found", "no such login");
    const refused = scanRefusal(rec, scanHash, true);
    if (refused)
      return repeatsDecision(rec, scanHash, "approve", approval) ? decidedAsIs(rec) : refused;
    const failed = policyRefusal(rec, policy);
    if (failed) {
      const why = { deniedBy: "policy", reason: "proximity_failed", hopFacts } as const;
      const denied = this.commit(rec, "deny", why);
      await this.armAlarm();
      return { ...failed, hops: await loginStepHops(denied, "denied") };
    }
    const extra: LoginStepExtra = { ...approval, ticketHash, hopFacts };
    const r = loginStep(rec, "approve", Date.now(), extra);
    if (!r.ok) return loginRefusal(r.status);
    this.persist(r.record, rec, loginStatusMessage(r.record, ticket));
    await this.armAlarm();
    return {
      ok: true,
      login: loginView(r.record),
      hops: await loginStepHops(r.record, "approved"),
    };
  }

  /** The app (with its `scan` handle) or the company's backend denies: scanned → denied. */
  async deny(
    scanHash: string,
    by: "app" | "backend",
    reason: string | null,
    hopFacts: LoginHopFacts,
  ): Promise<WithHops<{ ok: true; login: LoginView }> | LoginFailure> {
    const rec = this.current();
    if (!rec) return loginFail("not_found", "no such login");
    const refused = scanRefusal(rec, scanHash, by === "backend");
    if (refused) return repeatsDecision(rec, scanHash, "deny") ? decidedAsIs(rec) : refused;
    const denied = this.commit(rec, "deny", { deniedBy: by, reason, hopFacts });
    await this.armAlarm();
    return { ok: true, login: loginView(denied), hops: await loginStepHops(denied, "denied") };
  }

  /**
   * The PC's backend exchanges the ticket with the PC page's `code_verifier` (as its S256
   * challenge): approved → exchanged, exactly once. A wrong verifier burns the ticket; an
   * approver the backend does not accept is refused and changes nothing (login-checks.ts).
   */
  async exchange(
    attempt: ExchangeAttempt,
    hopFacts: LoginHopFacts,
  ): Promise<WithHops<LoginExchangeResult> | (LoginFailure & { burnt?: boolean })> {
    const rec = this.current();
    if (!rec) return loginFail("not_found", "no such login (or it has been deleted)");
    const verdict = exchangeVerdict(rec, attempt);
    if (verdict === "burn") {
      this.commit(rec, "burn", {});
      await this.armAlarm();
      const burnt = loginFail("invalid_grant", "wrong code_verifier: the ticket is burnt");
      return { ...burnt, burnt: true };
    }
    if (verdict !== "exchange") return verdict;
    const done = this.commit(rec, "exchange", { hopFacts });
    await this.armAlarm();
    return { ...exchangeResult(rec), hops: await loginStepHops(done, "exchanged") };
  }

  /** WebSocket upgrade for `/v1/logins/:id/events`; the Worker passes access and ticket. */
  override async fetch(request: Request): Promise<Response> {
    const access = this.upgradeAccess<LoginAccess>(request);
    if (access instanceof Response) return access;
    const shown = await ticketShower(request.headers.get("x-qb-ticket"));
    const rec = this.readFor(access);
    if ("ok" in rec) return errorResponse(new ApiError(rec.error, rec.message));
    return this.watchers.accept(rec, loginStatusMessage(rec, shown(rec)));
  }

  // ——— internals ———

  /** Before the login is deleted: its kept hops a last time (resend-hops.ts). */
  protected override beforePurge(rec: LoginRecord): void {
    this.ctx.waitUntil(resendLoginHops(this.env, this.ctx, this.bridgeConfig(), rec));
  }

  /** The record if `access` may read it, else the refusal. */
  private readFor(access: LoginAccess): LoginRecord | LoginFailure {
    const rec = this.current();
    if (!rec) return loginFail("not_found", "no such login (or it has been deleted)");
    return accessRefusal(rec, access) ?? rec;
  }

  /** Apply an allowed event synchronously; throws only on a programming error. */
  private commit(rec: LoginRecord, event: LoginEvent, extra: LoginStepExtra): LoginRecord {
    const r = loginStep(rec, event, Date.now(), extra);
    if (!r.ok) throw new Error(`login: ${event} not allowed from ${rec.status}`);
    this.persist(r.record, rec);
    return r.record;
  }
}

/**
 * The `LoginObject` class of one bridge: it reads that bridge's resolved configuration, so the
 * hops it records with no request behind them (an expiry) follow the Worker's options.
 *
 * @example
 * const bridge = createBridge(options); // bridge.LoginObject = bindLoginObject(bridge.config)
 * export const LoginObject = bridge.LoginObject;
 */
export function bindLoginObject(config: (env: Env) => Promise<BridgeConfig>): typeof LoginObject {
  return class BridgeLoginObject extends LoginObject {
    protected override bridgeConfig(): Promise<BridgeConfig> {
      return config(this.env);
    }
  };
}
