/**
 * What a `POST /v1/events` counts for (routes/events.ts): a poster visit, named by its
 * attribution session, or a redeemed handoff, named by its events credential
 * (core/event-credential.ts) — both sent as `session` — or, where allowed, by its link.
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { checkSession, SESSION_TTL_SECONDS, type Session } from "../core/attribution";
import { normalizeBase32 } from "../core/base32";
import { bridgeLinkOf } from "../core/bridge-link";
import { ApiError } from "../core/errors";
import { EVENT_WINDOW_MS } from "../core/handoff";
import { referrerParts } from "../core/install-referrer";
import { TOKEN_ID_LENGTH, verifyToken } from "../core/token";
import { handoffTooOld } from "../store/handoff-events";
import { publicBase } from "./urls";

/** What an event counts for. */
export type Subject = { kind: "poster"; session: Session } | { kind: "handoff"; id: string };

async function posterSession(c: Context<AppEnv>, token: string, now: number): Promise<Subject> {
  const check = await checkSession(c.var.config.keyring, token, now);
  if (check.ok) return { kind: "poster", session: check.session };
  throw sessionRefused(check.reason);
}

function sessionRefused(reason: string): ApiError {
  if (reason === "expired")
    return new ApiError(
      "expired",
      `the attribution session has expired (sessions last ${SESSION_TTL_SECONDS / 86_400} days after the scan)`,
    );
  return new ApiError(
    "invalid_token",
    "session: not an attribution session (or a handoff's events credential) of this bridge",
  );
}

/** `session`: a poster's attribution session, or the events credential of a handoff. */
async function sessionSubject(c: Context<AppEnv>, token: string, now: number): Promise<Subject> {
  const { keyring } = c.var.config;
  const check = await checkSession(keyring, token, now);
  if (check.ok) return { kind: "poster", session: check.session };
  // Both are signed tokens of one shape, told apart by the tag their MAC binds.
  if (check.reason === "bad_signature") {
    const handoff = await verifyToken(keyring, "e", token, now);
    if (handoff.ok) return { kind: "handoff", id: handoff.id };
    if (handoff.reason === "expired") throw handoffTooOld();
  }
  throw sessionRefused(check.reason);
}

/** A poster visit, or the handoff token (not verified yet) that `url` or `referrer` names. */
async function linkSubject(
  c: Context<AppEnv>,
  body: { url?: string; referrer?: string },
  now: number,
): Promise<Subject | { kind: "link"; token: string }> {
  // A Play install referrer carries its link's token: the handoff's, or the visit's session.
  const ref = body.url === undefined ? referrerParts(body.referrer!) : null;
  if (body.url === undefined && !ref)
    throw new ApiError("invalid_token", "referrer: not an install referrer of this bridge", {
      field: "referrer",
    });
  if (ref?.kind === "session") return posterSession(c, ref.token, now);
  const link = ref ? null : bridgeLinkOf(publicBase(c), body.url!);
  if (link?.kind === "p") {
    const token = link.url.searchParams.get("s") ?? link.url.searchParams.get("S");
    if (!token)
      throw new ApiError(
        "validation_failed",
        "url: a poster link needs its session (?s=); send attribution.session from /v1/resolve",
        { field: "url" },
      );
    return posterSession(c, token.slice(0, 100), now);
  }
  return { kind: "link", token: ref?.token ?? link!.code };
}

/** Whether the handoff link sent beside a session is the session's handoff's. */
function namesHandoff(link: { token: string }, subject: { id: string }): boolean {
  return normalizeBase32(link.token)?.slice(0, TOKEN_ID_LENGTH) === subject.id;
}

/**
 * What an event counts for. `session` names its subject itself (a handoff link sent along must
 * be its handoff's). A handoff named by its link or referrer alone counts only when `byLink`
 * (a secret key, or `QB_HANDOFF_EVENTS_BY_LINK`): the link is the QR on the PC's screen, so
 * anyone near it has it, while the events credential went to the redeeming app alone.
 *
 * @example
 * const subject = await subjectOf(c, { session: body.session }, nowSeconds, server);
 * if (subject.kind === "handoff") await handoffEventFacts(c.env, subject.id, nowMs);
 */
export async function subjectOf(
  c: Context<AppEnv>,
  body: { session?: string; url?: string; referrer?: string },
  now: number,
  byLink: boolean,
): Promise<Subject> {
  const named =
    body.url === undefined && body.referrer === undefined ? null : await linkSubject(c, body, now);
  if (body.session !== undefined) {
    const subject = await sessionSubject(c, body.session, now);
    if (named?.kind === "link" && !(subject.kind === "handoff" && namesHandoff(named, subject)))
      throw new ApiError("forbidden", "session: not the events credential of this handoff", {
        field: "session",
      });
    // A poster link sent along names its visit too: one that is not the session's is refused
    // as a handoff link is, rather than silently ignored.
    if (
      named?.kind === "poster" &&
      !(subject.kind === "poster" && subject.session.id === named.session.id)
    )
      throw new ApiError("forbidden", "session: not the session of this poster link", {
        field: "session",
      });
    return subject;
  }
  if (named!.kind !== "link") return named!;
  const check = await verifyToken(c.var.config.keyring, "h", named!.token, now);
  if (!check.ok && check.reason !== "expired")
    throw new ApiError("invalid_token", "url: not a handoff link of this bridge");
  if (!byLink)
    throw new ApiError(
      "forbidden",
      "a handoff's events need its events credential: send `session` from the POST /v1/resolve answer that redeemed it (the link alone is not enough)",
    );
  // An expired link's handoff was redeemed at the latest when its redeem window closed, and its
  // events end a window after that.
  const lastEvent = check.expiresAt + c.var.config.handoff.redeemWindow + EVENT_WINDOW_MS / 1000;
  if (!check.ok && now >= lastEvent) throw handoffTooOld();
  return { kind: "handoff", id: check.id };
}
