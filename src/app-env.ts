/**
 * Types shared by every route: the Hono environment (bindings + per-request variables).
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { BridgeConfig } from "./config";
import type { Env } from "./env";
import type { HeldClaim } from "./routes/idempotency";

/** Who called: the admin key, or an API key from D1. */
export interface AuthContext {
  kind: "admin" | "secret" | "publishable";
  /** API key id (`key_…`); "admin" for the admin key. */
  keyId: string;
  scopes: readonly string[];
  /**
   * Set for a store key (or a console session of one): every read is held to this store
   * (routes/store-scope.ts). Absent: the key sees every store.
   */
  storeId?: string;
  /**
   * The other keys of this key's roll chain (store/key-family.ts): one caller with it, so it
   * may act on the handoffs they created (its Idempotency-Keys are the chain's: `budgetKeyId`).
   */
  linkedKeyIds?: readonly string[];
  /**
   * The key whose per-client rate budgets this call spends: its roll chain's first key, if it
   * was ever rolled, else its own. The keys of one chain are one caller, and one budget; their
   * Idempotency-Keys are kept under it too (routes/idempotency.ts).
   */
  budgetKeyId?: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    config: BridgeConfig;
    auth: AuthContext;
    /**
     * Set only on a `/v1` request the console forwards for a dashboard session
     * (routes/console-api.ts): the session's key, which stands in for a bearer key.
     */
    sessionCaller: AuthContext | undefined;
    /** The `Idempotency-Key` claim a create holds (routes/idempotency.ts); unset without one. */
    idempotency: HeldClaim | undefined;
  };
}

export type App = OpenAPIHono<AppEnv>;
