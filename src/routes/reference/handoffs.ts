import { METADATA_LIMITS } from "../../core/handoff-input";
import type { ReferenceWords } from "./types";

/** Who may approve or deny a handoff (both operations say it). */
const WHO_DECIDES =
  "The watch secret goes in the body (`{watch}`) or the query; or use the secret key that created it. A publishable key gets 403: it is public, and whoever scanned the QR could approve themselves with it. The same decision again (a retry after a lost answer, a double click) gets `200` with the handoff and records, delivers and pushes nothing; the other decision after it gets `409` (deny after approve) or `403` (approve after deny).";

export const handoffsReference: ReferenceWords = {
  operations: {
    "POST /v1/handoffs": {
      summary: "Create a handoff (PC page → app)",
      description:
        "With a secret key, or a publishable key from one of its allowed origins (rate limited).",
    },
    "GET /v1/handoffs/{id}": {
      summary: "A handoff's status; `?wait=N` long-polls up to N seconds for a change",
      description:
        "Authorised by the secret key that created it (or admin) or `?watch=`; a publishable key gets 403. With `wait`, answers as soon as the status differs from `since` (default: the status when the request arrived), else after `wait` seconds with the unchanged status.",
    },
    "DELETE /v1/handoffs/{id}": {
      summary: "Cancel a handoff",
    },
    "POST /v1/handoffs/{id}/approve": {
      summary: "Approve the device (confirm: pc)",
      description: `For handoffs created with \`confirm: "pc"\`, once a phone has asked (\`awaiting_confirmation\`): on a handoff that is only \`scanned\` it is \`409\`, since no phone would be bound to the approval. ${WHO_DECIDES}`,
    },
    "POST /v1/handoffs/{id}/deny": {
      summary: "Deny the device (confirm: pc)",
      description: `For handoffs created with \`confirm: "pc"\`, once scanned. ${WHO_DECIDES}`,
    },
    "GET /v1/handoffs/{id}/events": {
      summary: "WebSocket of status changes",
      description:
        'Upgrade with `Upgrade: websocket`. Sends `{"type":"status","status","at","device"?}` on connect and on every change (`at` in unix ms), then closes once the handoff has ended. Text `ping` is answered `pong`; any other text re-sends the status.',
    },
  },
  schemas: {
    CreatedHandoff: {
      fields: {
        id: {
          example: "8QK3T0M1ZC7X9R2B4N6D",
        },
        url: {
          description: "The link the QR carries (uppercase)",
        },
        expires_at: {
          description: "Unix ms",
        },
        watch: {
          description: "Secret for watching/approving. Shown once.",
        },
        events_url: {
          description: "WebSocket URL with the watch secret",
        },
      },
    },
    QrLinks: {
      fields: {
        svg: {
          example: "https://qr.example.com/qr/h/8QK3T0M1ZC7X9R2B4N6D1JN7W80D1ABCDEFGHJKMN.svg",
        },
      },
    },
    CreateHandoffRequest: {
      fields: {
        payload: {
          description: "Any JSON (≤ 4 KiB), returned once to the app that redeems the handoff",
          example: { cart_id: "c_42" },
        },
        path: {
          description: 'In-app path to open, relative: starts with "/", no scheme, no "//"',
          example: "/cart/42",
        },
        ttl: {
          description: "Seconds, 15–900 (default 120)",
        },
        confirm: {
          description:
            '"pc": the app waits (202) until the PC page approves or denies; "none" (the default): the first app to resolve gets the payload',
        },
        metadata: {
          description: `Returned to the app on redeem; title and subtitle are the landing page's heading only when created with a secret key (a publishable key's page shows the default heading); ≤ ${METADATA_LIMITS.maxEntries} string values of ≤ ${METADATA_LIMITS.maxValue} characters`,
          example: { title: "Your cart", subtitle: "3 items" },
        },
      },
    },
    WatchedHandoff: {
      fields: {
        changed: {
          description: "Long-poll only: did the status change",
        },
      },
    },
    Handoff: {
      fields: {
        created_at: {
          description: "Unix ms",
        },
        expires_at: {
          description: "Unix ms: the QR stops working",
        },
        redeemable_until: {
          description: "Unix ms: deadline of the current state (null once ended)",
        },
        scanned_at: {
          description: "Unix ms",
        },
        approved_at: {
          description: "Unix ms",
        },
        redeemed_at: {
          description: "Unix ms",
        },
        ended_at: {
          description: "Unix ms: redeemed, cancelled, expired or denied",
        },
      },
    },
  },
};
