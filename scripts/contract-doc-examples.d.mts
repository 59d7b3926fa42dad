// Types of scripts/contract-doc-examples.mjs, for test/unit/contract-doc-examples.test.ts.

/** A shell command of a ```sh block, continuations joined, with the line it starts on. */
export interface ShellCommand {
  line: number;
  command: string;
}

/** A documented call: where it is, its method (lower case), its path and its JSON body. */
export interface DocCall {
  where: string;
  method: string;
  path: string;
  body: unknown;
}

/** A documented answer: a marked ```json block with its operation and status. */
export interface DocAnswer extends DocCall {
  status: string;
}

/** The part of an OpenAPI document the module reads. */
export interface OpenApiPaths {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

/** An answer a doc shows in a comment after a call, with the top-level keys it names. */
export interface ShownAnswer {
  where: string;
  method: string;
  path: string;
  keys: string[];
}

/** The part of an OpenAPI document the module reads. */
export interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      { responses?: Record<string, { content?: Record<string, { schema?: unknown }> } | object> }
    >
  >;
  components?: { schemas?: Record<string, unknown> };
}

export function shellCommands(markdown: string): ShellCommand[];
export function topLevelKeys(text: string): string[];
export function shownAnswers(markdown: string, file: string): ShownAnswer[];
export function shownAnswerProblems(shown: ShownAnswer[], doc: OpenApiDocument): string[];
export function curlCalls(markdown: string, file: string): DocCall[];
export function markedAnswers(markdown: string, file: string): DocAnswer[];
export function operationPath(doc: OpenApiPaths, method: string, path: string): string | undefined;
export function docExamplesModule(
  calls: DocCall[],
  answers: DocAnswer[],
  doc: OpenApiPaths,
): { text: string; problems: string[] };
