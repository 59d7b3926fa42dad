// Types of bench/soak-zones.mjs, for test/unit/soak-zones.test.ts.
import type { AsyncLocalStorage } from "node:async_hooks";

export const DEPLOYMENT_ZONE: string;
export const story: AsyncLocalStorage<{ since: number | null; noted: boolean }>;
export function zonedDay(ms: number, zone: string): string;
export function midnightZone(from: number, to: number, wanted?: string | null): string | null;
export function nextMidnight(from: number, wanted?: string | null): number;
export function placeMidnight(seconds: number, log: (line: string) => void): Promise<string | null>;
export function zonePlan(midnight: string | null): {
  zones: Record<number, string>;
  moved: number;
  changes: { at: number; to: string }[];
};
export class StoreZones {
  set(storeId: string, zone: string | null, sent?: number, from?: number): void;
  zoneOf(storeId: string | null): string;
  zonesInUse(): string[];
  zonesDuring(storeId: string | null, since: number, until: number): string[];
  zoneAt(storeId: string | null, at: number): string | null;
  change(storeId: string, patch: () => Promise<string>): Promise<string>;
}
export function playStory<T>(fn: () => Promise<T>): Promise<T>;
export function checkExportDays(
  exported: { event_id: string; poster_id: string | null; at: number; day: string }[],
  posterStore: Map<string, string | null>,
  zones: StoreZones,
): { mismatches: string[]; unsure: number; lines: string[] };
