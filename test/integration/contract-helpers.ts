// Holding real answers to the documented contract: a body parsed with the zod schema the
// document is generated from (nothing left out, nothing mistyped), and a status looked up in the
// operation /openapi.json describes for the request's method and path.
import type { z } from "@hono/zod-openapi";
import { expect } from "vitest";
import { call } from "./helpers";

/**
 * The body, checked against `schema`: parsing keeps every field (a field the schema does not
 * declare would be dropped) and changes no value.
 *
 * @example
 * const body = expectMatches(ResolvedLink, await res.json());
 */
export function expectMatches<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  expect(parsed.error?.issues ?? [], JSON.stringify(body)).toEqual([]);
  expect(parsed.data, "fields the schema does not declare").toEqual(body);
  return parsed.data as z.output<T>;
}

type Operations = Record<string, Record<string, { responses: Record<string, unknown> }>>;
let paths: Promise<{ template: RegExp; params: number; methods: Operations[string] }[]> | null =
  null;

/** The document's paths as patterns, the ones with fewer parameters first (as routes match). */
function documentedPaths() {
  paths ??= call("/openapi.json")
    .then((res) => res.json() as Promise<{ paths: Operations }>)
    .then((doc) =>
      Object.entries(doc.paths)
        .map(([path, methods]) => ({
          template: new RegExp(`^${path.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`),
          params: (path.match(/\{/g) ?? []).length,
          methods,
        }))
        .sort((a, b) => a.params - b.params),
    );
  return paths;
}

/**
 * The statuses the document lists for the operation serving `method` on `url`, or null when it
 * describes no such operation (a method or path no route serves). HEAD is served by GET.
 *
 * @example
 * expect(await documentedStatuses("GET", "/v1/posters/p_1")).toContain("404");
 */
export async function documentedStatuses(method: string, url: string): Promise<string[] | null> {
  const name = method.toLowerCase() === "head" ? "get" : method.toLowerCase();
  const path = new URL(url, "https://qr.test").pathname;
  for (const { template, methods } of await documentedPaths()) {
    const op = methods[name];
    if (op && template.test(path)) return Object.keys(op.responses);
  }
  return null;
}

/**
 * A status the operation's documentation lists (nothing is checked for a request no operation
 * describes).
 *
 * @example
 * await expectDocumentedStatus("POST", "/v1/resolve", res.status);
 */
export async function expectDocumentedStatus(method: string, url: string, status: number) {
  const documented = await documentedStatuses(method, url);
  if (documented === null) return;
  expect(documented, `${method} ${url.slice(0, 200)} answered ${status}`).toContain(String(status));
}
