// The docs' HTTP examples for `npm run check:contract` (scripts/check-contract.mjs): every `curl`
// in a ```sh block of README.md or docs/*.md that sends a JSON body (`-d '…'`) to this bridge,
// and every ```json block that follows a `<!-- check:contract <METHOD> <path> <status> -->` line
// (a documented answer), become TypeScript constants typed as that operation's request body or
// response in the served /openapi.json. A field a doc spells differently from the contract, a
// field the contract no longer has, or a value of the wrong type then fails to compile, where a
// reader copying the snippet would have got a 400 or looked for a field that is not there.
// Values a doc cannot know are written `…` inside strings and still type as strings. Reading the
// ```sh blocks themselves is scripts/doc-shell-examples.mjs; its readers are exported from here too.

import { curlCalls, shellCommands, shownAnswers, topLevelKeys } from "./doc-shell-examples.mjs";

export { curlCalls, shellCommands, shownAnswers, topLevelKeys };

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
    // NonNullable: a body the operation takes but does not require is typed `… | undefined`.
    const type = `NonNullable<${typeOf(path, call.method)}["requestBody"]>["content"]["application/json"]`;
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
