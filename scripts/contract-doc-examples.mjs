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
