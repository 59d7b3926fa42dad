/**
 * OpenAPI/zod schemas of the handoff API (`/v1/handoffs…`). Times are unix milliseconds.
 */
import { z } from "@hono/zod-openapi";
import { HANDOFF_STATUSES } from "../core/handoff";
import { METADATA_LIMITS } from "../core/handoff-input";
import { QrLinks } from "./schemas";

export const Status = z.enum(HANDOFF_STATUSES).openapi("HandoffStatus");

export const CreateHandoff = z
  .object({
    payload: z
      .unknown()
      .optional()
      .openapi({
        description: "Any JSON (≤ 4 KiB), returned once to the app that redeems the handoff",
        example: { cart_id: "c_42" },
      }),
    path: z.string().max(512).optional().openapi({
      description: 'In-app path to open, relative: starts with "/", no scheme, no "//"',
      example: "/cart/42",
    }),
    ttl: z.number().int().optional().openapi({ description: "Seconds, 15–900 (default 120)" }),
    confirm: z.enum(["none", "pc"]).default("none").openapi({
      description: '"pc": the app waits (202) until the PC page approves or denies',
    }),
    metadata: z
      .record(z.string(), z.string())
      .optional()
      .openapi({
        description: `Shown on the landing page (title, subtitle); ≤ ${METADATA_LIMITS.maxEntries} string values of ≤ ${METADATA_LIMITS.maxValue} characters`,
        example: { title: "Your cart", subtitle: "3 items" },
      }),
  })
  .openapi("CreateHandoffRequest");

export const Device = z
  .object({
    platform: z.string(),
    os: z.string().nullable(),
    browser: z.string().nullable(),
    in_app: z.string().nullable(),
    country: z.string().nullable(),
  })
  .openapi("HandoffDevice");

const ms = (description: string) => z.number().int().nullable().openapi({ description });

export const Handoff = z
  .object({
    id: z.string(),
    status: Status,
    confirm: z.enum(["none", "pc"]),
    path: z.string().nullable(),
    metadata: z.record(z.string(), z.string()).nullable(),
    created_at: z.number().int().openapi({ description: "Unix ms" }),
    expires_at: z.number().int().openapi({ description: "Unix ms: the QR stops working" }),
    redeemable_until: ms("Unix ms: deadline of the current state (null once ended)"),
    scanned_at: ms("Unix ms"),
    approved_at: ms("Unix ms"),
    redeemed_at: ms("Unix ms"),
    ended_at: ms("Unix ms: redeemed, cancelled, expired or denied"),
    device: Device.nullable(),
  })
  .openapi("Handoff");

export const WatchedHandoff = Handoff.extend({
  changed: z.boolean().optional().openapi({ description: "Long-poll only: did the status change" }),
}).openapi("WatchedHandoff");

export const CreatedHandoff = z
  .object({
    id: z.string().openapi({ example: "8QK3T0M1ZC7X9R2B4N6D" }),
    url: z.string().openapi({ description: "The link the QR carries (uppercase)" }),
    qr: QrLinks,
    expires_at: z.number().int().openapi({ description: "Unix ms" }),
    watch: z.string().openapi({ description: "Secret for watching/approving. Shown once." }),
    events_url: z.string().openapi({ description: "WebSocket URL with the watch secret" }),
    status: Status,
    confirm: z.enum(["none", "pc"]),
  })
  .openapi("CreatedHandoff");

export const IdParam = z.object({ id: z.string().min(20).max(40) });
export const WatchQuery = z.object({ watch: z.string().max(100).optional() });
