import { LINK_PARAM } from "../../core/handoff";
import type { ReferenceWords } from "./types";

export const appReference: ReferenceWords = {
  operations: {
    "POST /v1/resolve": {
      summary: "Resolve a bridge link in the app (redeems a handoff once)",
      description:
        "The 200 answer's `kind` says which link it was. Handoff: `200` with the payload exactly once; again `409 already_redeemed` (except to the redeemer asking again with the `claim` it sent, for 60 s); expired `410`; forged `400 invalid_token`. With `confirm: \"pc\"`: `202 awaiting_confirmation` until the PC approves (then `200` for the claimant) or denies (`403`). Poster links answer with the poster's target and attribution. A QR login link is `400 invalid_url` naming `POST /v1/logins/scan`, where it belongs. `429` (with `Retry-After`) when the client IP made too many calls, or sent too many forged links. The optional `X-QB-Platform: ios|android` header states the calling app's platform (used only for a scan this call records itself).",
    },
    "POST /v1/events": {
      summary: "Report app_open or converted for a poster session or a handoff",
      description:
        "No API key needed: `session` from `POST /v1/resolve` is the capability (a poster's attribution session, or a handoff's events credential, answered only to the app that redeemed it), and an event counts once per session (or handoff) and type. A handoff link or install referrer alone is `403 forbidden` (anyone who saw the QR has it) unless the deployment sets `QB_HANDOFF_EVENTS_BY_LINK`. With a secret key holding `events:write` (server-side conversions) each `idempotency_key` (or `Idempotency-Key` header) counts once. Attributed to the platform of the scan, not of the caller; bots are answered but never counted. Handoff events: only after the app redeemed it, for 24 hours. `429` (with `Retry-After`) when the client IP made too many calls without a secret key. The `202` comes once the event is held (queue, R2 spool or D1); `503 unavailable` (with `Retry-After`) when none answered that it holds it: send the same event again (it counts once, also when a send whose answer was lost held it).",
    },
  },
  schemas: {
    ResolvedHandoff: {
      fields: {
        path: {
          description: "The in-app path given at creation",
        },
        payload: {
          description: "The JSON given at creation, or null",
        },
        created_by: {
          description:
            "Who made the handoff: `server`, a secret key (your backend); `page`, a publishable key — public, so anyone can make such a handoff with any payload and path. Trust a payload (adopt a session, say) only from `server`. Null for handoffs made before this field existed.",
        },
        session: {
          description:
            "The handoff's events credential, answered to this caller only: send it as `session` with `POST /v1/events` (as a poster's `attribution.session`). The handoff link alone reports no events.",
        },
        session_expires_at: {
          description:
            "Unix ms after which the handoff takes no more events (its redemption + 24 h)",
        },
      },
    },
    ResolvedPoster: {
      fields: {
        path: {
          description:
            'The poster\'s current in-app path; "/" when the stored one fails the in-app path check',
        },
        attribution: {
          fields: {
            session: {
              description: "Send it with `POST /v1/events`",
            },
            session_expires_at: {
              description: "Unix ms after which the session takes no more events",
            },
          },
        },
      },
    },
    AwaitingConfirmation: {
      fields: {
        claim: {
          description: "Send it back on every retry. Shown once.",
        },
        retry_after: {
          description: "Seconds before asking again",
        },
      },
    },
    ResolveRequest: {
      fields: {
        url: {
          description: `The bridge link that opened the app (or a custom-scheme URL carrying it as \`?${LINK_PARAM}=\`)`,
          example: "HTTPS://QR.EXAMPLE.COM/H/8QK3T0M1ZC7X9R2B4N6D1JN7W80D1ABCDEFGHJKMN",
        },
        referrer: {
          description: "Android, instead of url: the Play install referrer, as Google returned it",
          example: "qb_ref=H8QK3T0M1ZC7X9R2B4N6D1JN7W80T1ABCDEFGHJKMN",
        },
        via: {
          description: "How the app was reached, when only the app knows",
        },
        claim: {
          description:
            'A secret the app chose (e.g. 128 random bits, base64url), sent on the first call and on every retry: if a 200 was lost, the same claim gets the same 200 (same payload and session) again for 60 s; anyone else gets 409. Under confirm: "pc", the claim from the 202 answer (or the app\'s own) is the phone the PC approves. Only its SHA-256 is stored. A bare poster link: the same claim gets the same session (and counts one scan with QB_POSTER_CLAIMED_RESOLVES).',
        },
      },
    },
    EventAccepted: {
      fields: {
        event_id: {
          description: "Same id for an event that counts once",
        },
      },
    },
    EventRequest: {
      fields: {
        session: {
          description:
            "From POST /v1/resolve: a poster's `attribution.session`, or a handoff's `session` (its events credential)",
        },
        url: {
          description:
            "A poster link carrying its session (`?s=`), or a handoff link: alone it counts only from a secret key with `events:write` (or with `QB_HANDOFF_EVENTS_BY_LINK`), else `403`; sent with `session`, the link must name the session's own handoff or poster visit, else `403`",
        },
        referrer: {
          description: "The Play install referrer the app resolved: as `url`",
        },
        value: {
          description: "0 – 1,000,000,000, at most 2 decimals (e.g. 12.34)",
        },
        idempotency_key: {
          description:
            "With a secret key holding events:write: events of one session and type count once per key. Without one it is ignored: an event counts once per session (or handoff) and type",
        },
      },
    },
  },
};
