/**
 * Who hears about a `HandoffObject`'s (or a `LoginObject`'s) transitions, and how: the PC page's
 * hibernatable WebSockets (tagged `watch`; `ping` is auto-answered `pong`), its long-poll
 * requests, and — for an expiry, which has no request behind it — the hop log, with the
 * bridge's configuration. None of it is stored: the sockets survive hibernation in the runtime,
 * the waiters live in memory only (a held long-poll keeps the object awake). See docs/storage.md.
 */
import type { BridgeConfig } from "../config";
import type { SubjectKind } from "../core/hop-row";
import type { Env } from "../env";
import { recordHop } from "./hops";

/** What the watchers read of a record. */
export interface WatchedRecord {
  id: string;
  status: string;
  created_at: number;
}

/** What differs between the kinds of watched records. */
export interface WatchRules<R extends WatchedRecord> {
  /** The hop kind of the `expired` hop. */
  kind: SubjectKind;
  /** The message every WebSocket gets on connect and on each change. */
  message(rec: R): object;
  /** Whether the PC page has nothing left to wait for: its sockets are then closed. */
  isFinal(status: R["status"]): boolean;
}

/**
 * The watchers of one object. Create it in the object's constructor.
 *
 * @example
 * this.watchers = new RecordWatchers<LoginRecord>(ctx, env, { kind: "login", message, isFinal }, config);
 * this.watchers.changed(next, prev); // after every write
 */
export class RecordWatchers<R extends WatchedRecord> {
  /** Long-poll waiters, woken on every transition. In memory: a held request keeps us awake. */
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly rules: WatchRules<R>,
    /** The bridge's resolved configuration (for hops recorded without a request). */
    private readonly config: () => Promise<BridgeConfig>,
  ) {
    // Keep-alive pings are answered without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /**
   * Accept a WebSocket from the PC page: it gets `first` (default: the status message) at once,
   * and is closed at once when there is nothing left to wait for. Returns the `101` response.
   *
   * @example
   * return this.watchers.accept(rec);
   */
  accept(rec: R, first: object = this.rules.message(rec)): Response {
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server, ["watch"]);
    server.send(JSON.stringify(first));
    if (this.rules.isFinal(rec.status)) server.close(1000, rec.status);
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * Wait for the next transition, or `timeoutMs`, whichever comes first (a long-poll).
   *
   * @example
   * await this.watchers.nextChange(25_000);
   */
  nextChange(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      this.waiters.add(done);
    });
  }

  /**
   * Tell everyone of a write: when the status changed, push `message` (default: the status
   * message) to every WebSocket (closing them once final), wake the long-polls, and log the
   * `expired` hop for an expiry.
   *
   * @example
   * this.stored.save(next);
   * this.watchers.changed(next, prev);
   */
  changed(next: R, prev: R, message: object = this.rules.message(next)): void {
    if (next.status === prev.status) return;
    this.broadcast(message, this.rules.isFinal(next.status) ? next.status : null);
    if (next.status === "expired") this.ctx.waitUntil(this.recordExpiry(next, prev.status));
  }

  /**
   * Push a message to every WebSocket and wake the long-polls, without a change of status (a
   * warning); with `closeWith`, close the sockets after it.
   *
   * @example
   * this.watchers.broadcast({ type: "warning", code: "second_scan", at });
   */
  broadcast(message: object, closeWith: string | null = null): void {
    const msg = JSON.stringify(message);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(msg);
        if (closeWith) ws.close(1000, closeWith);
      } catch {
        // A socket closing under us; the others still get the message.
      }
    }
    for (const wake of [...this.waiters]) wake();
  }

  /**
   * Close every WebSocket (the object's storage is about to be deleted).
   *
   * @example
   * this.watchers.closeAll("gone");
   */
  closeAll(reason: string): void {
    for (const ws of this.ctx.getWebSockets()) ws.close(1000, reason);
  }

  /** The `expired` hop: no request (and so no `c.var.config`) is behind it. */
  private async recordExpiry(rec: R, from: string): Promise<void> {
    try {
      const config = await this.config();
      recordHop(
        { env: this.env, ctx: this.ctx, config, request: null },
        {
          kind: this.rules.kind,
          subject_id: rec.id,
          hop: "expired",
          created_at: rec.created_at,
          detail: { from },
        },
      );
    } catch (err) {
      console.error("qrbridge: could not record the expired hop", rec.id, err);
    }
  }
}

/**
 * Answer the close of a watcher's WebSocket: echo its code (a code that may not be sent, 1005
 * "none" or 1006 "abnormal", becomes 1000); a socket already closed is left alone.
 *
 * @example
 * override async webSocketClose(ws, code, reason) { closeWatcher(ws, code, reason); }
 */
export function closeWatcher(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
  } catch {
    // Already closed.
  }
}
