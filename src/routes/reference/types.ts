/**
 * The shape of the API reference's words (routes/reference/*.ts): the text the OpenAPI document
 * carries and nothing validates, kept out of the route schemas so the Worker's main bundle does not
 * carry it. The generator (routes/openapi-words.ts) gives each entry to the schema it names, as
 * `.openapi({...})` and `createRoute({summary, description})` would have, so the document is the
 * one those would make.
 */

/** A field's words: what its `.openapi({...})` would say, and those of the fields inside it. */
export interface FieldWords {
  description?: string;
  example?: unknown;
  /** The fields of the object this field holds (through optional, nullable, default). */
  fields?: FieldsWords;
  /** The element of the array this field holds. */
  items?: FieldWords;
}

/** Words per field name of an object schema. */
export type FieldsWords = Record<string, FieldWords>;

/** One operation's words: its summary and description, and those of its inline schemas. */
export interface OperationWords {
  summary: string;
  description?: string;
  /** Path parameters, by name. */
  params?: FieldsWords;
  /** Query parameters, by name. */
  query?: FieldsWords;
  /** The fields of an inline (unnamed) JSON request body. */
  body?: FieldsWords;
  /** Per status: the fields of an inline JSON response body, and the response's headers. */
  responses?: Record<number, { fields?: FieldsWords; headers?: FieldsWords }>;
}

/** A named schema's (`components.schemas`) words. */
export interface SchemaWords {
  description?: string;
  fields?: FieldsWords;
}

/** One part of the reference: operations keyed `"METHOD /path"` (as routed), schemas by name. */
export interface ReferenceWords {
  operations?: Record<string, OperationWords>;
  schemas?: Record<string, SchemaWords>;
}
