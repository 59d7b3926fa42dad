// Types of page-lang.js for the unit tests (the console's scripts are plain JS, built as they are).
export declare const lang: string;
export declare const locale: string;
export declare const dict: Record<string, string>;
export declare const english: Record<string, string>;
export declare function t(key: string, vars?: Record<string, string | number>): string;
