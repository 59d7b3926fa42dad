// What the docs' ```sh blocks hold, read as a shell reads them, for `npm run check:contract`
// (scripts/contract-doc-examples.mjs): their commands, the curls that call this bridge with a
// JSON body, and the answers the docs show in a comment after a call (`# → {…}`).

/** The hosts the docs' curls call: the quick start's local one and the docs' example one. */
const HOST = /(?:https?:\/\/)?(?:localhost:8787|qr\.example\.com)(\/[^\s"'?]*)/;

/**
 * Whether `text` ends inside a single- or double-quoted string, as a shell reads it (a `#`
 * after a space, outside quotes, starts a comment, whose quotes do not count).
 */
function quoteOpen(text) {
  let quote = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "\\") i++;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) {
      const end = text.indexOf("\n", i);
      if (end < 0) break;
      i = end;
    }
  }
  return quote !== null;
}

/**
 * The shell commands of a Markdown document's ```sh blocks, each with the line it starts on: a
 * line ending in `\` continues the command, and so does a quoted string left open (a JSON body
 * written over several lines).
 *
 * @example
 * shellCommands("```sh\ncurl -s x \\\n  -d '{\"a\":\n 1}'\n```")
 * // [{ line: 2, command: "curl -s x    -d '{\"a\":\n 1}'" }]
 */
export function shellCommands(markdown) {
  const commands = [];
  for (const block of markdown.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    const first = markdown.slice(0, block.index).split("\n").length + 1;
    let current = null;
    block[1].split("\n").forEach((text, i) => {
      if (current === null) current = { line: first + i, command: text };
      else current.command += quoteOpen(current.command) ? `\n${text}` : ` ${text}`;
      if (quoteOpen(current.command)) return;
      if (current.command.endsWith("\\")) {
        current.command = current.command.slice(0, -1);
        return;
      }
      if (current.command.trim() !== "") commands.push(current);
      current = null;
    });
  }
  return commands;
}

/**
 * The calls of a document's curls that send a JSON body to the bridge: method (`-X`, else
 * POST), path (query left out) and the parsed body. A body built by the shell (`"{\"a\":\"$X\"}"`)
 * is not JSON as written and is left out.
 *
 * @example
 * curlCalls("```sh\ncurl -s localhost:8787/v1/keys -d '{\"name\":\"b\"}'\n```", "README.md")
 * // [{ where: "README.md:2", method: "post", path: "/v1/keys", body: { name: "b" } }]
 */
export function curlCalls(markdown, file) {
  const calls = [];
  for (const { line, command } of shellCommands(markdown)) {
    for (const part of command.split(/\s(?:&&|;)\s/)) {
      if (!/^\s*curl\b/.test(part)) continue;
      const url = HOST.exec(part);
      const data = /\s(?:-d|--data(?:-raw)?)\s+'([^']*)'/.exec(part);
      if (!url || !data) continue;
      let body;
      try {
        body = JSON.parse(data[1]);
      } catch {
        continue;
      }
      const method = (/\s-X\s+([A-Z]+)/.exec(part)?.[1] ?? "POST").toLowerCase();
      calls.push({ where: `${file}:${line}`, method, path: url[1], body });
    }
  }
  return calls;
}

/**
 * The top-level keys of the first JSON object in `text`, read leniently: the docs abbreviate
 * with `…` (`{"id":"key_…",…}`), which no JSON parser takes. Empty when there is no object.
 *
 * @example
 * topLevelKeys('201 {"id":"k_…","qr":{"svg":"…"},…}') // ["id", "qr"]
 */
export function topLevelKeys(text) {
  const start = text.indexOf("{");
  if (start < 0) return [];
  const keys = [];
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) break;
      if (depth === 1 && /^\s*:/.test(text.slice(end + 1))) keys.push(text.slice(i + 1, end));
      i = end;
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) break;
    }
  }
  return keys;
}

/**
 * The answers the docs show in a comment after a call (`# → {"id":"key_…",…}`, continued on
 * the comment lines after it while its braces are open), with the call they answer and the
 * top-level keys they name.
 *
 * @example
 * shownAnswers("```sh\ncurl -s localhost:8787/v1/keys -d '{}'\n# → {\"id\":\"key_…\",…}\n```", "README.md")
 * // [{ where: "README.md:3", method: "post", path: "/v1/keys", keys: ["id"] }]
 */
export function shownAnswers(markdown, file) {
  const shown = [];
  const commands = shellCommands(markdown);
  let call = null;
  for (let i = 0; i < commands.length; i++) {
    const { line, command } = commands[i];
    if (/^\s*curl\b/.test(command)) {
      call = curlCalls(`\`\`\`sh\n${command}\n\`\`\``, file)[0] ?? httpCall(command, file, line);
      continue;
    }
    const arrow = /^\s*#\s*→\s*(.*)$/s.exec(command);
    if (!arrow || !call) continue;
    let text = arrow[1];
    const balanced = (t) => (t.match(/[{[]/g) ?? []).length <= (t.match(/[}\]]/g) ?? []).length;
    while (!balanced(text) && /^\s*#/.test(commands[i + 1]?.command ?? "")) {
      i++;
      text += commands[i].command.replace(/^\s*#/, "");
    }
    const keys = topLevelKeys(text);
    if (keys.length > 0)
      shown.push({ where: `${file}:${line}`, method: call.method, path: call.path, keys });
    call = null;
  }
  return shown;
}

/** A curl without a JSON body (a GET, a `-X DELETE`) as a call: method and path. */
function httpCall(command, file, line) {
  const url = HOST.exec(command);
  if (!url) return null;
  const method = /\s-X\s+([A-Z]+)/.exec(command)?.[1] ?? (/\s-d\s/.test(command) ? "POST" : "GET");
  return { where: `${file}:${line}`, method: method.toLowerCase(), path: url[1], body: undefined };
}
