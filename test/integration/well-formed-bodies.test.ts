// Half a surrogate pair in a JSON body ("\ud800" with no partner) is text D1 cannot store: it came
// back as three replacement characters, the name silently changed (a fuzz of the print kit found
// it). Every /v1 JSON body holding one is refused with a 400 naming the field; nothing is stored.
import { describe, expect, it } from "vitest";
import { call, mintSecretKey } from "./helpers";

const key = mintSecretKey();

async function refused(res: Response, field: string): Promise<void> {
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: string; message: string; details: { field: string } };
  expect(body.error).toBe("validation_failed");
  expect(body.details.field).toBe(field);
  expect(body.message).toMatch(/valid Unicode/);
}

describe("a lone surrogate in a request body", () => {
  it("refuses a store named with one, and stores nothing", async () => {
    const k = await key;
    const before = await call("/v1/stores?limit=200", { key: k });
    const count = ((await before.json()) as { stores: unknown[] }).stores.length;
    await refused(
      await call("/v1/stores", { method: "POST", key: k, json: { name: "A\ud800B" } }),
      "name",
    );
    const after = await call("/v1/stores?limit=200", { key: k });
    expect(((await after.json()) as { stores: unknown[] }).stores).toHaveLength(count);
  });

  it("names the field deep in a batch, and in a handoff's payload", async () => {
    const k = await key;
    const batch = {
      posters: [
        { name: "ok", path: "/a" },
        { name: "x\udc00", path: "/b" },
      ],
    };
    await refused(
      await call("/v1/posters/batch", { method: "POST", key: k, json: batch }),
      "posters.1.name",
    );
    await refused(
      await call("/v1/handoffs", { method: "POST", key: k, json: { payload: { note: "\ud83d" } } }),
      "payload.note",
    );
  });

  it("takes well-formed text: an emoji's pair, other scripts, an escaped backslash before 'ud800'", async () => {
    const k = await key;
    for (const name of ["😀 Bakery", "مخبز 新宿", "A\\ud800"]) {
      const res = await call("/v1/stores", { method: "POST", key: k, json: { name } });
      expect(res.status, name).toBe(201);
      const id = ((await res.json()) as { id: string }).id;
      const read = await call(`/v1/stores/${id}`, { key: k });
      expect(((await read.json()) as { name: string }).name).toBe(name);
    }
  });
});
