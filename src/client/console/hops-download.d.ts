export interface CsvPage {
  ok: boolean;
  status: number;
  text: string;
  next: string | null;
}
export function joinCsvPages(
  fetchPage: (url: string) => Promise<CsvPage>,
  url: string,
  maxRows: number,
  progress?: (rows: number) => void,
): Promise<{ text: string; rows: number; capped: boolean }>;
