// What the app client's tests share: a fake fetch that answers from a list and records what
// the client sent, a JSON response, a handoff link as the app scans it, and running a call
// through its backoff under fake timers.
import { vi } from "vitest";

/** A request the client sent, its body parsed. */
export interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that answers from a list and records what was sent. */
export function fakeFetch(...answers: (Response | Error)[]) {
  const sent: Sent[] = [];
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({
      url: String(input),
      method: init?.method ?? "GET",
      headers: init?.headers as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  return { fn, sent };
}

/** A JSON response with `status`. */
export const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** A handoff link as the app scans it. */
export const LINK = "HTTPS://QR.TEST/H/8QK3T0M1ZC7X9R2B4N6D1JN7W80D1ABCDEFGHJKMN";

/** Run `p` to its end under fake timers, firing the backoff timers it sets; its error if it throws. */
export async function settle<T>(p: Promise<T>): Promise<T> {
  const caught = p.catch((e: unknown) => e);
  await vi.runAllTimersAsync();
  return caught as Promise<T>;
}
