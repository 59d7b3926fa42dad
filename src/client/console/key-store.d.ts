// Types of key-store.js for the unit tests (the console's scripts are plain JS, built as they are).
export declare function storeOptions(
  stores: { id: string; name: string; ref?: string | null }[],
  allLabel: string,
): [string, string][];
export declare function mintBody(
  v: { name: string; kind?: string; origins?: string; store_id?: string },
  scopes: string[],
): {
  name: string;
  kind?: string;
  scopes: string[];
  origins?: string[];
  store_id?: string;
};
export declare function moveActive(
  current: number,
  key: "ArrowDown" | "ArrowUp",
  count: number,
): number;
