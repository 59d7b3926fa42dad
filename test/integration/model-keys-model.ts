// The model behind model-keys.test.ts: what the docs say each API key may do at each moment of
// its life (docs/api.md "Rolling a key" and the keys conventions, docs/console.md, README's keys
// table), written without the Worker's code. Each function answers what a request must get —
// a status, and for a refusal its error code (and `details.reason` / `details.field`) — from
// the model's keys, stores, console sessions and clock.
import { SCOPES, type Scope } from "../../src/store/keys";

export { SCOPES, type Scope };
export const PUBLISHABLE_SCOPES: Scope[] = ["handoffs:write", "logins:write"];

/** How long an isolate may keep a key lookup (docs: "within 30 s"). */
export const LOOKUP_CACHE_MS = 30_000;
/** A console session's life (docs/console.md: 12 hours). */
export const SESSION_MS = 12 * 3_600_000;

export interface ModelKey {
  id: string;
  text: string;
  kind: "secret" | "publishable";
  scopes: Scope[];
  origins: string[];
  storeId: string | null;
  expiresAt: number | null;
  revoked: boolean;
  rolledTo: string | null;
  /** Its roll chain's first key: every key of one chain is one caller. */
  family: string;
}

/** What a key lookup reads of a key at one moment, and an isolate may remember for 30 s. */
export interface KeyView {
  kind: ModelKey["kind"];
  scopes: Scope[];
  origins: string[];
  expiresAt: number | null;
  revoked: boolean;
  storeId: string | null;
  storeGone: boolean;
  /** The other keys of its roll chain. */
  linked: string[];
}

export interface ModelStore {
  id: string;
  /** When it was deleted (model clock), null: it exists. */
  deletedAt: number | null;
}

export interface ModelSession {
  cookie: string;
  keyId: string;
  expiresAt: number;
}

/** Who sends a request. */
export type Credential =
  | { kind: "none" }
  | { kind: "admin" }
  | { kind: "forged"; text: string }
  | { kind: "key"; key: ModelKey };

/** One answer the model allows: a status, and for an error its code and what details say. */
export interface Outcome {
  status: number;
  error?: string;
  reason?: string;
  field?: string;
}

/** A probe: one cheap operation standing for one permission. */
export interface Probe {
  name: string;
  /** The scope it needs; "admin": the admin key only. */
  scope: Scope | "admin";
  /** A create route a publishable key may call (from its origins). */
  create?: boolean;
  /** No credential needed; a secret key holding `scope` changes what it does. */
  optional?: boolean;
  /** The status it answers a caller it lets in. */
  ok: number;
  /** The error code of that answer when it is one (the event probe's link is no handoff's). */
  okError?: string;
}

const ok = (status: number): Outcome => ({ status });
const allowed = (probe: Probe): Outcome => ({ status: probe.ok, error: probe.okError });
const unauthorized: Outcome = { status: 401, error: "unauthorized" };
const keyExpired: Outcome = { status: 401, error: "key_expired" };
const forbidden: Outcome = { status: 403, error: "forbidden" };
const storeDeleted: Outcome = { status: 403, error: "forbidden", reason: "store_deleted" };
const invalid = (field: string): Outcome => ({ status: 400, error: "validation_failed", field });
const conflict = (reason: string): Outcome => ({ status: 409, error: "conflict", reason });

/** The distinct outcomes of `list`. */
const distinct = (list: Outcome[]): Outcome[] => [
  ...new Map(list.map((o) => [JSON.stringify(o), o])).values(),
];

export class KeyModel {
  keys: ModelKey[] = [];
  stores: ModelStore[] = [];
  sessions: ModelSession[] = [];
  /** Handoffs made by the probes: who made each (a key id, or "admin"). */
  handoffs: { id: string; by: string }[] = [];
  /** The operation being run (its index in the lifecycle). */
  seq = 0;
  /** The last operation after which this isolate forgot every lookup (an API change to a key). */
  flushedAt = -1;
  /**
   * Every key's view before each change made where this isolate does not hear of it (another
   * isolate's roll, edit or revocation, a store deleted): what a remembered lookup may still
   * show for 30 s.
   */
  history: { seq: number; at: number; views: Map<string, KeyView> }[] = [];
  constructor(public now: number) {}

  expired(view: { expiresAt: number | null }): boolean {
    return view.expiresAt !== null && this.now >= view.expiresAt;
  }

  /** Whether the key authenticates, as its row says now: not revoked, not past its end. */
  working(key: ModelKey): boolean {
    return !key.revoked && !this.expired(key);
  }

  store(id: string | null): ModelStore | undefined {
    return this.stores.find((s) => s.id === id);
  }

  /** The key as its row (and its store's) reads now. */
  view(key: ModelKey): KeyView {
    return {
      kind: key.kind,
      scopes: [...key.scopes],
      origins: [...key.origins],
      expiresAt: key.expiresAt,
      revoked: key.revoked,
      storeId: key.storeId,
      storeGone: key.storeId !== null && this.store(key.storeId)?.deletedAt !== null,
      linked: this.keys.filter((k) => k.family === key.family && k.id !== key.id).map((k) => k.id),
    };
  }

  /** Before a change this isolate is not told of: every key's view as it was. */
  changingElsewhere(): void {
    const views = new Map(this.keys.map((k) => [k.id, this.view(k)]));
    this.history.push({ seq: this.seq, at: this.now, views });
  }

  /** After an API change to a key: this isolate forgot every lookup (store/keys.ts). */
  forgotLookups(): void {
    this.flushedAt = this.seq;
  }

  /**
   * Every view of `key` a request may meet now: its row's, and one replaced by a change made
   * elsewhere since this isolate last forgot (a lookup in between may remember it) — for less
   * than 30 s from the change.
   */
  views(key: ModelKey): KeyView[] {
    const stale = this.history
      .filter((h) => h.seq > this.flushedAt && h.at + LOOKUP_CACHE_MS > this.now)
      .map((h) => h.views.get(key.id))
      .filter((v): v is KeyView => v !== undefined);
    return [this.view(key), ...stale];
  }

  /**
   * A bearer request to `probe` with `cred`, from `origin`: the admin key passes, a key passes
   * if it works (an expiry checked on every request), holds the scope, and, publishable, only
   * on a create from one of its origins.
   */
  bearer(probe: Probe, cred: Credential, origin: string | null): Outcome[] {
    switch (cred.kind) {
      case "none":
        return [probe.optional ? allowed(probe) : unauthorized];
      case "forged":
        return [unauthorized];
      case "admin":
        return [allowed(probe)];
    }
    return distinct(this.views(cred.key).map((v) => this.keyCheck(v, probe, origin)));
  }

  private keyCheck(v: KeyView, probe: Probe, origin: string | null): Outcome {
    if (v.revoked) return unauthorized;
    if (this.expired(v)) return keyExpired;
    if (probe.scope === "admin") return forbidden;
    if (v.kind === "publishable" && !probe.create) return forbidden;
    if (!v.scopes.includes(probe.scope)) return forbidden;
    if (v.kind === "publishable" && (origin === null || !v.origins.includes(origin)))
      return forbidden;
    if (v.storeGone) return storeDeleted;
    return allowed(probe);
  }

  /**
   * `GET /v1/handoffs/:id` with a bearer key: the admin key, or a secret key holding
   * handoffs:write of the roll chain of the key that made it (docs/api.md "Rolling a key").
   */
  readHandoff(handoff: { by: string }, cred: Credential): Outcome[] {
    if (cred.kind === "admin") return [ok(200)];
    if (cred.kind !== "key") return [unauthorized];
    const probe: Probe = { name: "read a handoff", scope: "handoffs:write", ok: 200 };
    return distinct(
      this.views(cred.key).map((v) => {
        const out = this.keyCheck(v, probe, null);
        if (out.status !== 200) return out;
        return cred.key.id === handoff.by || v.linked.includes(handoff.by) ? out : forbidden;
      }),
    );
  }

  /** Signing in to the console: a secret key holding stats:read (its lookup), or the admin key. */
  signIn(cred: Credential): Outcome[] {
    if (cred.kind === "admin") return [ok(303)];
    if (cred.kind !== "key") return [ok(401)];
    return distinct(
      this.views(cred.key).map((v) =>
        v.kind !== "secret" || v.revoked || this.expired(v) || !v.scopes.includes("stats:read")
          ? ok(401)
          : ok(303),
      ),
    );
  }

  /** A console session's GET of a `/v1` probe: the key's row read on every request. */
  session(probe: Probe, session: ModelSession): Outcome {
    if (this.now >= session.expiresAt) return unauthorized;
    if (session.keyId === "admin") return allowed(probe);
    const key = this.keys.find((k) => k.id === session.keyId)!;
    if (!this.working(key)) return unauthorized;
    if (this.view(key).storeGone) return storeDeleted;
    if (probe.scope === "admin" || !key.scopes.includes(probe.scope)) return forbidden;
    return allowed(probe);
  }

  /** `POST /v1/keys` with the admin key. */
  mint(input: MintInput): Outcome {
    if (input.kind === "publishable") {
      if (input.scopes.some((s) => !PUBLISHABLE_SCOPES.includes(s))) return invalid("scopes");
      if (!input.origins?.length) return invalid("origins");
    }
    if (input.expires_at !== undefined && input.expires_at <= this.now)
      return invalid("expires_at");
    if (input.store_id !== undefined) {
      if (input.kind !== "secret") return invalid("kind");
      if (input.scopes.some((s) => s !== "stats:read")) return invalid("scopes");
      const store = this.store(input.store_id);
      if (!store || store.deletedAt !== null) return invalid("store_id");
    }
    return ok(201);
  }

  /** Why a key cannot be rolled or edited now, or null. */
  private changeRefused(key: ModelKey): Outcome | null {
    if (key.revoked) return conflict("revoked");
    if (key.rolledTo !== null) return conflict("rolled");
    if (this.expired(key)) return conflict("expired");
    return null;
  }

  /** A roll of `key`; when it may land, also the ends it sets (the old key's, the new one's). */
  roll(key: ModelKey, graceSeconds: number): Outcome & { oldEnd?: number; newEnd?: number | null } {
    const refused = this.changeRefused(key);
    if (refused) return refused;
    const end = this.now + graceSeconds * 1000;
    const oldEnd = key.expiresAt === null ? end : Math.min(key.expiresAt, end);
    return { status: 201, oldEnd, newEnd: key.expiresAt };
  }

  /** An edit of `key`: its name, a publishable key's origins, fewer scopes. */
  edit(key: ModelKey, patch: KeyPatch): Outcome {
    const refused = this.changeRefused(key);
    if (refused) return refused;
    if (patch.origins !== undefined && key.kind !== "publishable") return invalid("origins");
    if (patch.scopes?.some((s) => !key.scopes.includes(s))) return invalid("scopes");
    return ok(200);
  }

  /** `DELETE /v1/keys/:id`: any key not yet revoked (a rolled or expired one too). */
  revoke(key: ModelKey): Outcome {
    return key.revoked ? { status: 404, error: "not_found" } : ok(200);
  }

  /** `DELETE /v1/stores/:id` (no poster names the model's stores). */
  deleteStore(store: ModelStore): Outcome {
    return store.deletedAt === null ? ok(200) : { status: 404, error: "not_found" };
  }

  /** The ends still ahead (keys', sessions'): where the clock is worth moving to. */
  endsAhead(): number[] {
    const ends = this.keys.map((k) => k.expiresAt).filter((e): e is number => e !== null);
    ends.push(...this.sessions.map((s) => s.expiresAt));
    const cacheEnds = this.history.map((h) => h.at + LOOKUP_CACHE_MS);
    return [...ends, ...cacheEnds].filter((e) => e > this.now).sort((a, b) => a - b);
  }
}

export interface MintInput {
  name: string;
  kind: "secret" | "publishable";
  scopes: Scope[];
  origins?: string[];
  store_id?: string;
  expires_at?: number;
}

export interface KeyPatch {
  name?: string;
  scopes?: Scope[];
  origins?: string[];
}
