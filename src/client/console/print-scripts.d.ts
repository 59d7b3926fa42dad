// Types of print-scripts.js for the unit tests (the console's scripts are plain JS, built as they are).
export declare function printIssue(
  name: string | null | undefined,
): "unprintable" | "emoji-parts" | null;
export declare function unprintableLetter(name: string | null | undefined): string | null;
export declare const PRINTED_SCRIPTS: string[];
export declare function printedScriptNames(lang: string): string;
