/**
 * What the Worker and `LoginObject` share: who asks (access) and the refusals that cross RPC,
 * and the Worker-side helpers that find a login's stub and describe a request's device and
 * place. What each party may read of a login: login-views.ts.
 */
import type { DeviceInfo } from "../core/device";
import { ApiError, type ErrorCode } from "../core/errors";
import type { GeoPoint, LoginApprover, LoginStatus } from "../core/login-record";
import { geoPointOf } from "../core/proximity";
import type { Env } from "../env";
import type { LoginObject } from "./login-object";

/**
 * The Durable Object stub of a login (its name is the login id).
 *
 * @example
 * const r = await loginStub(c.env, id).get(access, ticket);
 */
export function loginStub(env: Env, id: string): DurableObjectStub<LoginObject> {
  return env.LOGIN.get(env.LOGIN.idFromName(id));
}

/**
 * Who asks to read or watch a login: a secret key with `logins:write` (checked by the Worker:
 * any secret key of the deployment, since the PC created the login with a publishable one), or
 * the hash of the login's watch secret. Only the key also reads who approved.
 */
export interface LoginAccess {
  key?: boolean;
  watchHash?: string | null;
}

/** A refusal that crosses RPC intact; routes turn it into an `ApiError` (with `unwrap`). */
export interface LoginFailure {
  ok: false;
  error: ErrorCode;
  message: string;
  status?: LoginStatus;
  details?: Record<string, unknown>;
}

/**
 * A refusal value.
 *
 * @example
 * return loginFail("not_found", "no such login");
 */
export const loginFail = (
  error: ErrorCode,
  message: string,
  status?: LoginStatus,
): LoginFailure => ({ ok: false, error, message, ...(status ? { status } : {}) });

/**
 * Return a successful object result, or throw its refusal as an `ApiError` whose details carry
 * the login's status and what else the object said.
 *
 * @example
 * const { login } = unwrapLogin(await loginStub(c.env, id).get(access, ticket));
 */
export function unwrapLogin<R extends { ok: boolean }>(result: R): Extract<R, { ok: true }> {
  if (result.ok) return result as Extract<R, { ok: true }>;
  const f = result as unknown as LoginFailure;
  const details = f.status || f.details ? { ...f.details, status: f.status } : undefined;
  throw new ApiError(f.error, f.message, details);
}

/**
 * The refusal for an event that the current state does not allow.
 *
 * @example
 * loginRefusal("exchanged") // { ok: false, error: "already_exchanged", … }
 */
export function loginRefusal(status: LoginStatus): LoginFailure {
  switch (status) {
    case "expired":
      return loginFail("expired", "this login has expired", status);
    case "denied":
      return loginFail("gone", "this login was denied", status);
    case "exchanged":
    case "burnt":
      return loginFail(
        "already_exchanged",
        status === "burnt"
          ? "this ticket was burnt by an exchange with the wrong code_verifier"
          : "this ticket has already been exchanged",
        status,
      );
    case "pending":
      return loginFail("conflict", "this login has not been scanned yet", status);
    default:
      return loginFail("conflict", `not allowed while the login is ${status}`, status);
  }
}

/**
 * The refusal of any scan after the first (the PC page is warned of each).
 *
 * @example
 * return alreadyScanned(rec.status);
 */
export const alreadyScanned = (status: LoginStatus): LoginFailure =>
  loginFail("already_scanned", "another phone has already scanned this code", status);

/** One side of a login as its request describes it: network hash and place. */
export interface RequestPlace {
  network: string | null;
  location: GeoPoint | null;
}

/** The `request.cf` fields a login reads. */
interface CfFacts {
  country?: unknown;
  city?: unknown;
  region?: unknown;
  colo?: unknown;
  latitude?: unknown;
  longitude?: unknown;
}

const text = (v: unknown) => (typeof v === "string" && v !== "" ? v.slice(0, 100) : null);

/**
 * The place facts of a request: country, city, region, colo and coordinates from `request.cf`.
 *
 * @example
 * const { country, location } = cfFacts(c.req.raw);
 */
export function cfFacts(request: Request): {
  country: string | null;
  city: string | null;
  region: string | null;
  colo: string | null;
  location: GeoPoint | null;
} {
  const cf = (request as { cf?: CfFacts }).cf;
  return {
    country: text(cf?.country),
    city: text(cf?.city),
    region: text(cf?.region),
    colo: text(cf?.colo),
    location: geoPointOf(cf),
  };
}

/**
 * The phone as the login stores it: what `classifyDevice` said plus country and city.
 *
 * @example
 * const approver = loginApprover(classifyDevice(c.req.raw.headers), c.req.raw);
 */
export function loginApprover(info: DeviceInfo, request: Request): LoginApprover {
  const facts = cfFacts(request);
  return {
    platform: info.platform,
    os: info.os,
    browser: info.browser,
    country: facts.country,
    city: facts.city,
  };
}
