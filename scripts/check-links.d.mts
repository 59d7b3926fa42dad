// Types of scripts/check-links.mjs, for test/unit/doc-links.test.ts.

/** A link of a Markdown document, with the line it is on. */
export interface DocLink {
  target: string;
  line: number;
}

/** A link that leads nowhere: the document and line, the target, and why. */
export interface BrokenLink {
  file: string;
  line: number;
  target: string;
  reason: string;
}

export function documentPaths(root?: string): string[];
export function withoutFences(markdown: string): string;
export function withoutCode(markdown: string): string;
export function slug(heading: string): string;
export function anchors(markdown: string): Set<string>;
export function links(markdown: string): DocLink[];
export function brokenLinks(
  paths: string[],
  root?: string,
  read?: (absolutePath: string) => string,
): BrokenLink[];
export function missingPaths(
  paths: string[],
  root?: string,
  io?: { exists?: (absolutePath: string) => boolean; read?: (absolutePath: string) => string },
): BrokenLink[];
export function unknownCommands(
  paths: string[],
  root?: string,
  io?: {
    read?: (absolutePath: string) => string;
    scripts?: string[];
    exists?: (absolutePath: string) => boolean;
  },
): BrokenLink[];
