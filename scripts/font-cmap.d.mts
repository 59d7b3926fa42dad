// Types of scripts/font-cmap.mjs, for test/unit/redteam-print-scripts.test.ts.
export function cmapOf(buf: Uint8Array): Map<number, number>;
