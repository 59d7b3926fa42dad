// Types of audit-entries.js for the unit tests (the console's scripts are plain JS, built as they are).
export declare const AUDIT_SUBJECTS: string[];
export declare function auditQuery(v: {
  subject_type?: string;
  subject_id?: string;
  actor?: string;
  from?: string;
  to?: string;
}): Record<string, string | number | undefined>;
export declare function actionWord(action: string): string;
export declare function subjectPath(type: string, id: string): string | null;
export declare function changeSummary(changes: {
  fields: string[];
  values: Record<string, unknown>;
}): string;
export declare function actorText(
  e: { actor: string; via: string },
  names: Map<string, string>,
  t: (key: string) => string,
): string;
