// Types of scripts/kit-state.mjs, for test/unit/kit-state.test.ts.
import type { BuildOptions } from "esbuild";

export const ISOLATE_STATE: Record<string, string[]>;
export function kitBuildOptions(entry: string): BuildOptions;
export function isolateStateIn(entry: string, contents?: string): Promise<string[]>;
