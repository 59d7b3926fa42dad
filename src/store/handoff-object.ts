/**
 * `HandoffObject`: one Durable Object per live handoff or QR login. Single-threaded, so the
 * one-time redemption is atomic. (The state machine and WebSocket push land with the handoff issue.)
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export class HandoffObject extends DurableObject<Env> {}
