// The docs' HTTP examples for `npm run check:contract` (scripts/check-contract.mjs): every `curl`
// in a ```sh block of README.md or docs/*.md that sends a JSON body (`-d '…'`) to this bridge,
// and every ```json block that follows a `<!-- check:contract <METHOD> <path> <status> -->` line
// (a documented answer), become TypeScript constants typed as that operation's request body or
// response in the served /openapi.json. A field a doc spells differently from the contract, a
// field the contract no longer has, or a value of the wrong type then fails to compile, where a
// reader copying the snippet would have got a 400 or looked for a field that is not there.
// Values a doc cannot know are written `…` inside strings and still type as strings.

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

/**
 * The property names an OpenAPI schema's objects may have: its own, its `$ref`'s, and those of
 * every branch of its `oneOf`, `anyOf` and `allOf`.
 */
function propertyNames(doc, schema, seen = new Set()) {
  if (!schema || typeof schema !== "object") return new Set();
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return new Set();
    seen.add(schema.$ref);
    const name = schema.$ref.replace("#/components/schemas/", "");
    return propertyNames(doc, doc.components?.schemas?.[name], seen);
  }
  const names = new Set(Object.keys(schema.properties ?? {}));
  for (const branch of [
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
    ...(schema.allOf ?? []),
  ]) {
    for (const n of propertyNames(doc, branch, seen)) names.add(n);
  }
  return names;
}

/**
 * The problems of the answers the docs show: a call of no operation, or a key that no 2xx
 * answer of its operation has.
 *
 * @example
 * shownAnswerProblems(shownAnswers(readme, "README.md"), doc) // ["README.md:67: … `keyy` …"]
 */
export function shownAnswerProblems(shown, doc) {
  const problems = [];
  for (const answer of shown) {
    const path = operationPath(doc, answer.method, answer.path);
    const operation = path && doc.paths[path][answer.method];
    if (!operation) {
      problems.push(
        `${answer.where}: ${answer.method.toUpperCase()} ${answer.path} is no operation`,
      );
      continue;
    }
    const names = new Set();
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if (!status.startsWith("2")) continue;
      const schema = response.content?.["application/json"]?.schema;
      for (const n of propertyNames(doc, schema)) names.add(n);
    }
    for (const key of answer.keys) {
      if (!names.has(key)) {
        problems.push(
          `${answer.where}: the answer shown has \`${key}\`, which no 2xx answer of ${answer.method.toUpperCase()} ${path} has`,
        );
      }
    }
  }
  return problems;
}

/**
 * The ```json blocks of a document marked as an operation's answer, with the operation.
 *
 * @example
 * markedAnswers("<!-- check:contract POST /v1/handoffs 201 -->\n```json\n{\"id\":\"x\"}\n```", "docs/handoffs.md")
 * // [{ where: "docs/handoffs.md:3", method: "post", path: "/v1/handoffs", status: "201", body: { id: "x" } }]
 */
export function markedAnswers(markdown, file) {
  const answers = [];
  const marked = /<!-- check:contract ([A-Z]+) (\S+) (\d{3}) -->\n```json\n([\s\S]*?)\n```/g;
  for (const m of markdown.matchAll(marked)) {
    const where = `${file}:${markdown.slice(0, m.index).split("\n").length + 2}`;
    let body;
    try {
      body = JSON.parse(m[4]);
    } catch (error) {
      throw new Error(`${where}: the marked answer is not JSON (${error.message})`);
    }
    answers.push({ where, method: m[1].toLowerCase(), path: m[2], status: m[3], body });
  }
  return answers;
}

/**
 * The path of the document's operation a concrete path (`/v1/posters/7K2M9Q`, `/v1/handoffs/$ID`)
 * is a call of, for `method`: a literal path first, else the template with the fewest
 * parameters whose segments match. Undefined when none does.
 *
 * @example
 * operationPath({ paths: { "/v1/posters/{id}": { patch: {} } } }, "patch", "/v1/posters/7K2M9Q") // "/v1/posters/{id}"
 */
export function operationPath(doc, method, path) {
  if (doc.paths[path]?.[method]) return path;
  const params = (template) => (template.match(/\{/g) ?? []).length;
  const templates = Object.keys(doc.paths)
    .filter((t) => doc.paths[t][method] && t.includes("{"))
    .sort((a, b) => params(a) - params(b));
  return templates.find((template) => {
    const pattern = template
      .split(/\{[^}]+\}/)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^/]+");
    return new RegExp(`^${pattern}$`).test(path);
  });
}

/**
 * A TypeScript module of the calls' bodies and the answers, each a constant of its operation's
 * type (named after the document and line), or a list of problems when a call names no
 * operation of the document.
 *
 * @example
 * docExamplesModule(curlCalls(readme, "README.md"), [], doc).text
 */
export function docExamplesModule(calls, answers, doc) {
  const problems = [];
  const lines = [
    "// Generated by scripts/check-contract.mjs from the docs' curls and marked answers: do not edit.",
    'import type { paths } from "./api";',
    "",
  ];
  const name = (where) => where.replace(/[^A-Za-z0-9]+/g, "_");
  const typeOf = (path, method) => `paths[${JSON.stringify(path)}][${JSON.stringify(method)}]`;
  for (const call of calls) {
    const path = operationPath(doc, call.method, call.path);
    if (!path) {
      problems.push(`${call.where}: ${call.method.toUpperCase()} ${call.path} is no operation`);
      continue;
    }
    const type = `${typeOf(path, call.method)}["requestBody"]["content"]["application/json"]`;
    lines.push(`// ${call.where}: ${call.method.toUpperCase()} ${call.path}`);
    lines.push(`export const ${name(call.where)}: ${type} = ${JSON.stringify(call.body)};`);
  }
  for (const answer of answers) {
    if (!doc.paths[answer.path]?.[answer.method]?.responses?.[answer.status]) {
      problems.push(
        `${answer.where}: ${answer.method.toUpperCase()} ${answer.path} answers no ${answer.status}`,
      );
      continue;
    }
    const type = `${typeOf(answer.path, answer.method)}["responses"][${answer.status}]["content"]["application/json"]`;
    lines.push(
      `// ${answer.where}: the ${answer.status} of ${answer.method.toUpperCase()} ${answer.path}`,
    );
    lines.push(`export const ${name(answer.where)}: ${type} = ${JSON.stringify(answer.body)};`);
  }
  return { text: `${lines.join("\n")}\n`, problems };
}
