// Types of words.js for the unit tests (the console's scripts are plain JS, built as they are).
export declare const words: Record<string, Record<string, string>> & {
  en: Record<string, string>;
  zh: Record<string, string>;
};
