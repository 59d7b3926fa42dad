/**
 * Who may call each operation, as the OpenAPI document states it: one security scheme per
 * credential the Worker accepts, and the requirement of each kind of route. This documents the
 * checks; they are made by `requireKey` (middleware.ts) and by the routes that take another
 * credential too (handoffs.ts, logins.ts, login-steps.ts, events.ts, dashboard.ts).
 * test/integration/contract-security.test.ts calls every operation of the document with each
 * credential and holds the requirement to what the route does.
 */
import type { App } from "../app-env";
import type { Scope } from "../store/keys";

/** The dashboard session cookie's name. */
export const SESSION_COOKIE = "qb_session";

/** One way to satisfy an operation: scheme name → the scopes the key must hold. */
type Requirement = Record<string, string[]>;

const secret = (scope: Scope): Requirement[] => [{ secretKey: [scope] }, { adminKey: [] }];

/**
 * The security requirements of each kind of route (any one requirement of the list suffices).
 *
 * @example
 * createRoute({ …, security: access.secret("posters:write"), middleware: [requireKey("posters:write")] })
 */
export const access = {
  /** Anyone: no credential, or a signed link or code in the request is the capability. */
  public: [] as Requirement[],
  /** The admin key only. */
  admin: [{ adminKey: [] }] as Requirement[],
  /** A secret key holding `scope`, or the admin key. */
  secret,
  /** A secret or publishable key holding `scope` (the routes that create), or the admin key. */
  create: (scope: Scope): Requirement[] => [...secret(scope), { publishableKey: [scope] }],
  /** A secret key holding `scope`, the admin key, or the `watch` secret given at creation. */
  watch: (scope: Scope): Requirement[] => [...secret(scope), { watch: [] }],
  /** No credential needed; a secret key holding `scope` changes what the call does. */
  optional: (scope: Scope): Requirement[] => [{}, ...secret(scope)],
  /** The dashboard's session cookie. */
  session: [{ dashboardSession: [] }] as Requirement[],
  /** The dashboard's session cookie, or none (the page then offers to sign in). */
  sessionOptional: [{ dashboardSession: [] }, {}] as Requirement[],
};

/**
 * Declare the security schemes the routes' requirements name. Their descriptions are in the API
 * reference (routes/reference/index.ts), which only the browser kit carries.
 *
 * @example
 * registerSecuritySchemes(app);
 */
export function registerSecuritySchemes(app: App): void {
  const register = app.openAPIRegistry.registerComponent.bind(app.openAPIRegistry);
  const bearer = { type: "http" as const, scheme: "bearer" };
  register("securitySchemes", "secretKey", bearer);
  register("securitySchemes", "publishableKey", bearer);
  register("securitySchemes", "adminKey", bearer);
  register("securitySchemes", "watch", {
    type: "apiKey",
    in: "query",
    name: "watch",
  });
  register("securitySchemes", "dashboardSession", {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
  });
}
