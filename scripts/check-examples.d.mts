// Types of scripts/check-examples.mjs, for test/unit/check-examples.test.ts.

/** An entry point of package.json `exports` and its declaration file. */
export interface EntryPoint {
  specifier: string;
  types: string;
}

/** An `@example`, split into its language and code. */
export interface ParsedExample {
  lang: "ts" | "html";
  code: string;
}

/** One export of an entry point, as audited. */
export interface AuditedExport {
  specifier: string;
  name: string;
  kind: "value" | "type";
  description: string;
  examples: ParsedExample[];
}

/** A problem the check reports: the entry point, the export's name, what is wrong. */
export interface Problem {
  specifier: string;
  name: string;
  message: string;
}

/** An example type-checked: where it comes from, its file and the module it was checked as. */
export interface CheckedExample {
  specifier: string;
  name: string;
  index: number;
  file: string;
  code: string;
  text: string;
  header: number;
}

/** Declarations of free identifiers per entry point specifier (`*`: every entry point). */
export type FreeIdentifiers = Record<string, Record<string, string>>;

export const FREE_IDENTIFIERS: FreeIdentifiers;

export function entryPoints(
  pkg: { name: string; exports: Record<string, unknown> },
  root: string,
): EntryPoint[];

export function parseExample(text: string): ParsedExample;

/** A marked ```ts block of a Markdown document, checked as an example of its entry point. */
export interface MarkedBlock {
  specifier: string;
  name: string;
  kind: "document";
  description: string;
  examples: ParsedExample[];
}

export function markedBlocks(markdown: string, path: string): MarkedBlock[];

export function checkExamples(input: {
  root: string;
  entries: EntryPoint[];
  types?: string[];
  virtual?: Map<string, string>;
  free?: FreeIdentifiers;
  documents?: MarkedBlock[];
}): {
  exports: AuditedExport[];
  problems: Problem[];
  checked: CheckedExample[];
  skipped: { specifier: string; name: string; index: number; lang: string }[];
};
