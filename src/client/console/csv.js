// CSV in the browser. Reading a poster CSV: RFC 4180 records (quoted fields may hold commas,
// quotes and line breaks), each with the line it starts on, mapped to `POST /v1/posters/batch`
// rows; only the file's shape is checked here, every rule about a poster is the API's (its dry
// run). Writing one (the funnel table's download): csvRecord, safe to open in a spreadsheet.

/** A plain decimal number: a spreadsheet reads it as a number, never as a formula. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF (quotes doubled).
 * Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first: a store named
 * `=HYPERLINK(…)`) gets a leading `'`, as the server's exports do (src/core/csv.ts); a plain
 * decimal such as "-12.50" is a number, not a formula, and stays one. null is empty.
 *
 * @example
 * csvCell('say "hi", ok') // '"say ""hi"", ok"'
 * csvCell("=1+1") // "'=1+1"
 * csvCell(-5) // "-5"
 */
export function csvCell(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One CSV record, ended by CRLF.
 *
 * @example
 * csvRecord(["a", 1, null]) // "a,1,\r\n"
 */
export function csvRecord(values) {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/**
 * The columns a poster CSV may have; `name` and `path` are required. `store` names a store the
 * way people know it (its store number or its name), `store_id` by the API's id.
 */
export const POSTER_COLUMNS = [
  "name",
  "path",
  "store",
  "store_id",
  "campaign",
  "params",
  "label",
  "status",
];

/** The downloadable template: the header and two example rows. */
export const POSTER_TEMPLATE =
  "name,path,store,campaign,params,label,status\r\n" +
  'Window A,/menu/lunch,,Summer 2026,table=12&lang=en,"Window, left",active\r\n' +
  "Counter,/menu/drinks,,Summer 2026,,,paused\r\n";

/** A quoted field never closed, or closed and then followed by text (`"Window A"x`). */
const QUOTE_MESSAGE = 'a quote (") opened on this line is not closed where the cell ends';

/**
 * Parse CSV text into records: `[{ line, cells }]`, `line` counted from 1 where the record
 * starts. A UTF-8 byte order mark and blank lines are skipped. A quoted field that is never
 * closed, or has text after its closing quote, gives its record `quote`: the line the field
 * began on. Such a quote swallowed the line breaks after it, so the record's cells are not what
 * anyone wrote (later rows folded into one cell): it must be refused, not imported.
 *
 * @example
 * parseCsv('a,b\r\n"x, y",2\n') // [{ line: 1, cells: ["a", "b"] }, { line: 2, cells: ["x, y", "2"] }]
 * parseCsv('a,b\n1,"x\n2,y\n')[1] // { line: 2, cells: ["1", "x\n2,y\n"], quote: 2 }
 */
export function parseCsv(text) {
  const src = text.replace(/^\uFEFF/, "");
  const records = [];
  let cells = [];
  let cell = "";
  let line = 1;
  let start = 1;
  let quoted = false;
  let touched = false;
  // The line the current quoted field began on, and whether its closing quote was just read.
  let quoteLine = 0;
  let closed = false;
  let badQuote = 0;
  const endRecord = () => {
    cells.push(cell);
    if (touched || cells.length > 1 || cell !== "") {
      records.push(badQuote ? { line: start, cells, quote: badQuote } : { line: start, cells });
    }
    cells = [];
    cell = "";
    touched = false;
    closed = false;
    badQuote = 0;
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
        closed = true;
      } else {
        if (ch === "\n" || (ch === "\r" && src[i + 1] !== "\n")) line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === "") {
      quoted = true;
      touched = true;
      quoteLine = line;
    } else if (ch === ",") {
      cells.push(cell);
      cell = "";
      touched = true;
      closed = false;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else {
      // `"Window A"x`: the quote closed somewhere nobody meant (a quote left open on an earlier
      // line closed by the next quoted cell), so the rows in between are folded into this cell.
      // Spaces after a closing quote are only trimmed, as in a cell without quotes.
      if (closed && !badQuote && ch !== " " && ch !== "\t") badQuote = quoteLine;
      cell += ch;
    }
  }
  if (quoted && !badQuote) badQuote = quoteLine;
  if (cell !== "" || cells.length || touched) endRecord();
  return records;
}

/**
 * Poster rows from CSV text: `{ rows: [{ line, poster }], errors: [{ line, message, word? }] }`
 * (`word`: the console's words for the message, in the reader's language). The header names the
 * columns (any order, case-insensitive); `params` is `k=v&k2=v2`; empty cells are left out. A
 * quote left open is an error on the line the field began, and its record gives no row.
 *
 * @example
 * postersFromCsv("name,path\nDoor,/menu\n").rows[0] // { line: 2, poster: { name: "Door", path: "/menu" } }
 */
export function postersFromCsv(text, maxRows) {
  const records = parseCsv(text);
  const errors = [];
  if (!records.length) return { rows: [], errors: [{ line: 1, message: "empty" }] };
  // A quote left open folds every later line into one cell: name where it began, import nothing.
  const quotes = records.filter((r) => r.quote);
  for (const r of quotes)
    errors.push({ line: r.quote, message: QUOTE_MESSAGE, word: "import.quote" });
  if (records[0].quote) return { rows: [], errors };
  const header = records[0].cells.map((c) => c.trim().toLowerCase());
  for (const col of header)
    if (!POSTER_COLUMNS.includes(col)) errors.push({ line: 1, message: `unknown column "${col}"` });
  for (const col of ["name", "path"])
    if (!header.includes(col)) errors.push({ line: 1, message: `missing column "${col}"` });
  if (records.length - 1 > maxRows)
    errors.push({ line: 1, message: `${records.length - 1} rows; at most ${maxRows}` });
  const rows = [];
  for (const { line, cells, quote } of records.slice(1)) {
    if (quote) continue;
    if (cells.length > header.length) {
      errors.push({ line, message: `${cells.length} cells; the header has ${header.length}` });
      continue;
    }
    const poster = {};
    header.forEach((col, i) => {
      const value = (cells[i] ?? "").trim();
      if (value === "") return;
      poster[col] = col === "params" ? Object.fromEntries(new URLSearchParams(value)) : value;
    });
    rows.push({ line, poster });
  }
  return { rows, errors };
}

/**
 * Turn each row's `store` (a store number, else an exact name; case and outer spaces aside)
 * into the `store_id` the API takes, from the list of `stores` ({id, name, ref}). A store that
 * is not there, a number or name two stores share, a value that is one store's number and
 * another's name, or `store` beside `store_id` is an error on its line.
 *
 * @example
 * storesByName([{ line: 2, poster: { name: "Door", path: "/", store: "S-01" } }],
 *   [{ id: "st_1", name: "Opéra", ref: "S-01" }]) // [] and the row's poster has store_id "st_1"
 */
export function storesByName(rows, stores) {
  const key = (s) => String(s).trim().toLowerCase();
  // Store numbers are the company's free text, names too: neither is unique, and neither is
  // kept apart from the other (a store numbered "Central" beside a store named "Central").
  // A value that could mean two stores is refused rather than filing the poster under either.
  const byRef = new Map();
  const byName = new Map();
  const add = (map, k, s) => map.set(k, [...(map.get(k) ?? []), s]);
  for (const s of stores) {
    if (s.ref) add(byRef, key(s.ref), s);
    add(byName, key(s.name), s);
  }
  const errors = [];
  for (const { line, poster } of rows) {
    if (poster.store === undefined) continue;
    const name = poster.store;
    delete poster.store;
    if (poster.store_id !== undefined) {
      errors.push({ line, message: "store and store_id: give one of them" });
      continue;
    }
    const numbered = byRef.get(key(name)) ?? [];
    const named = byName.get(key(name)) ?? [];
    const other = numbered.length === 1 && named.find((s) => s.id !== numbered[0].id);
    if (numbered.length > 1)
      errors.push({
        line,
        message: `store "${name}": two stores have this number; use the store's name`,
      });
    else if (other)
      errors.push({
        line,
        message: `store "${name}": the number of store "${numbered[0].name}" (${numbered[0].id}) and the name of store "${other.name}" (${other.id}); use store_id`,
      });
    else if (numbered.length === 1) poster.store_id = numbered[0].id;
    else if (named.length === 1) poster.store_id = named[0].id;
    else if (named.length > 1)
      errors.push({
        line,
        message: `store "${name}": two stores have this name; use the store number`,
      });
    else errors.push({ line, message: `store "${name}": no store has this number or name` });
  }
  return errors;
}

/**
 * The Idempotency-Key of one batch of an import: SHA-256 of the file, the batch's first row and
 * the batch itself. Sending the same file again after a network failure (or 24 h of retries)
 * replays the batches already written instead of writing them twice; an edited file, a
 * different batch or a store renamed meanwhile is a different key.
 *
 * @example
 * await importBatchKey(text, 25, posters.slice(25, 50)) // "csv-9f86d0…" (68 characters)
 */
export async function importBatchKey(fileText, start, batch) {
  const data = new TextEncoder().encode(`${fileText}\n${start}\n${JSON.stringify(batch)}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return `csv-${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
