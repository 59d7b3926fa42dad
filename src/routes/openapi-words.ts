/**
 * Gives the API reference's words (routes/reference/) to the routes and schemas they name, for
 * the OpenAPI generator in the browser kit. The words are not in the route schemas: the main
 * bundle would carry them for nothing else. So the generator reads the schemas' metadata through
 * `wordsOverlay`, which answers for each schema what its `.openapi({description, example})` would
 * have stored, and takes the routes from `withOperationWords`, which puts back each route's
 * `summary` and `description`. The library then makes the document it always made.
 */
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import type { FieldsWords, FieldWords, OperationWords, ReferenceWords } from "./reference/types";

type Definition = OpenAPIRegistry["definitions"][number];
type RouteDefinition = Extract<Definition, { type: "route" }>;
/** A zod schema as the generator walks it: only its definition's links to inner schemas. */
type Schema = { _zod: { def: Record<string, unknown> & { type: string } } };
type Metadata = Record<string, unknown> & { _internal?: { refId?: string } };
/** Reads a schema's `.openapi()` metadata (the main bundle's registry). */
type ReadMetadata = (schema: never) => Metadata | undefined;

/** Wrappers the generator looks through to the schema they hold. */
const WRAPPERS = new Set([
  "optional",
  "nullable",
  "default",
  "prefault",
  "readonly",
  "nonoptional",
]);

/** The schema a field holds, through its wrappers (and a preprocess's pipe). */
function unwrap(schema: Schema): Schema {
  const def = schema._zod.def;
  if (WRAPPERS.has(def.type)) return unwrap(def.innerType as Schema);
  if (def.type === "pipe") {
    const into = def.in as Schema;
    return unwrap(into._zod.def.type === "transform" ? (def.out as Schema) : into);
  }
  return schema;
}

/** Each schema a schema links to (fields, elements, options…), for finding the named ones. */
function children(schema: Schema): Schema[] {
  const def = schema._zod.def;
  const out: unknown[] = [
    def.innerType,
    def.in,
    def.out,
    def.element,
    def.valueType,
    def.left,
    def.right,
  ];
  if (def.type === "object") out.push(...Object.values(def.shape as object));
  if (Array.isArray(def.options)) out.push(...def.options);
  return out.filter((s): s is Schema => typeof s === "object" && s !== null && "_zod" in s);
}

/**
 * The words per schema instance, and the reference's entries it found no place for.
 *
 * @example
 * const { words, unplaced } = placeWords(app.openAPIRegistry.definitions, REFERENCE, read);
 */
export function placeWords(
  definitions: readonly Definition[],
  reference: ReferenceWords,
  read: ReadMetadata,
): { words: Map<Schema, Metadata>; unplaced: string[] } {
  const words = new Map<Schema, Metadata>();
  const unplaced: string[] = [];

  const give = (schema: Schema, entry: Metadata, where: string) => {
    const had = words.get(schema);
    if (had && JSON.stringify(had) !== JSON.stringify(entry)) {
      unplaced.push(`${where}: the schema is shared with a place whose words differ`);
    }
    words.set(schema, entry);
  };
  const placeField = (schema: Schema, field: FieldWords, where: string) => {
    const { fields, items, ...own } = field;
    if (Object.keys(own).length > 0) give(schema, own, where);
    if (fields) placeFields(schema, fields, where);
    if (items) {
      const array = unwrap(schema);
      if (array._zod.def.type !== "array") unplaced.push(`${where}.items: not an array`);
      else placeField(array._zod.def.element as Schema, items, `${where}.items`);
    }
  };
  const placeFields = (holder: Schema | undefined, fields: FieldsWords, where: string) => {
    const object = holder && unwrap(holder);
    const shape = object?._zod.def.type === "object" ? (object._zod.def.shape as object) : null;
    for (const [name, field] of Object.entries(fields)) {
      const schema = shape ? (shape as Record<string, Schema | undefined>)[name] : undefined;
      if (!schema) unplaced.push(`${where}.${name}: no such field`);
      else placeField(schema, field, `${where}.${name}`);
    }
  };

  // The named schemas: every schema the definitions reach whose metadata gives it a name.
  const named = new Map<string, Set<Schema>>();
  const seen = new Set<Schema>();
  const visit = (schema: unknown) => {
    if (typeof schema !== "object" || schema === null || !("_zod" in schema)) return;
    const s = schema as Schema;
    if (seen.has(s)) return;
    seen.add(s);
    const refId = read(s as never)?._internal?.refId;
    if (refId) named.set(refId, (named.get(refId) ?? new Set()).add(unwrap(s)));
    for (const child of children(s)) visit(child);
  };
  const routes = new Map<string, RouteDefinition["route"]>();
  for (const d of definitions) {
    if (d.type === "schema") visit(d.schema);
    if (d.type !== "route") continue;
    const { request, responses } = d.route;
    for (const part of [request?.params, request?.query, request?.headers, request?.cookies])
      visit(part);
    const visitContent = (content: unknown) => {
      for (const media of Object.values((content ?? {}) as Record<string, { schema?: unknown }>))
        visit(media?.schema);
    };
    visitContent((request?.body as { content?: unknown } | undefined)?.content);
    for (const response of Object.values(responses) as { content?: unknown; headers?: unknown }[]) {
      visit(response.headers);
      visitContent(response.content);
    }
    routes.set(`${d.route.method.toUpperCase()} ${d.route.path}`, d.route);
  }

  for (const [name, entry] of Object.entries(reference.schemas ?? {})) {
    const schemas = named.get(name);
    if (!schemas) unplaced.push(`schema ${name}: no schema has this name`);
    for (const schema of schemas ?? []) {
      if (entry.description !== undefined) {
        give(schema, { description: entry.description }, `schema ${name}`);
      }
      if (entry.fields) placeFields(schema, entry.fields, `schema ${name}`);
    }
  }
  for (const [key, op] of Object.entries(reference.operations ?? {})) {
    const route = routes.get(key);
    if (!route) {
      unplaced.push(`${key}: no such operation`);
      continue;
    }
    const { request, responses } = route;
    const json = (content: unknown) =>
      (content as Record<string, { schema?: Schema }> | undefined)?.["application/json"]?.schema;
    if (op.params) placeFields(request?.params as Schema | undefined, op.params, `${key} params`);
    if (op.query) placeFields(request?.query as Schema | undefined, op.query, `${key} query`);
    if (op.body) placeFields(json(request?.body?.content), op.body, `${key} body`);
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      const declared = responses[status] as { content?: unknown; headers?: Schema } | undefined;
      if (!declared) unplaced.push(`${key} ${status}: no such response`);
      if (response.fields)
        placeFields(json(declared?.content), response.fields, `${key} ${status}`);
      if (response.headers)
        placeFields(declared?.headers, response.headers, `${key} ${status} headers`);
    }
  }
  return { words, unplaced };
}

/**
 * The definitions with each route's summary and description from the reference, and each
 * security scheme's description.
 *
 * The words go where the routes declared them, so the document keeps its key order: right after
 * `tags`, or, in a route that names its `tags` first, after the `operationId` and `security`
 * that follow them.
 *
 * @example
 * const defs = withOperationWords(app.openAPIRegistry.definitions, REFERENCE_OPERATIONS, SCHEMES);
 */
export function withOperationWords(
  definitions: readonly Definition[],
  operations: Record<string, OperationWords>,
  securitySchemes: Record<string, string>,
): Definition[] {
  return definitions.map((d) => {
    if (d.type === "component" && d.componentType === "securitySchemes") {
      const description = securitySchemes[d.name];
      return description === undefined
        ? d
        : ({ ...d, component: { ...(d.component as object), description } } as Definition);
    }
    if (d.type !== "route") return d;
    const words = operations[`${d.route.method.toUpperCase()} ${d.route.path}`];
    if (!words) return d;
    const keys = Object.keys(d.route);
    const first = keys.find((key) => key !== "method" && key !== "path");
    const after = first === "tags" ? "security" : "tags";
    const route: Record<string, unknown> = {};
    for (const key of keys) {
      route[key] = (d.route as Record<string, unknown>)[key];
      if (key === after) {
        route.summary = words.summary;
        if (words.description !== undefined) route.description = words.description;
      }
    }
    return { ...d, route: route as RouteDefinition["route"] };
  });
}
