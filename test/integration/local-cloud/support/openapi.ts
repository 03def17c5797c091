import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Twilio's OpenAPI files, trimmed to what the studio uses and committed in the repo
 * (made by scripts/trim-twilio-openapi.mjs; origin, version and licence inside each file).
 */
export const SPEC_DIR = fileURLToPath(new URL('../../../fixtures/twilio-openapi/', import.meta.url));
const SPEC_FILES = { video: 'video.json', sync: 'sync.json', media: 'media.json' } as const;
export type Domain = keyof typeof SPEC_FILES;

type Json = any;

export interface Operation {
  operationId: string;
  domain: Domain;
  method: string;
  template: string;
  pattern: RegExp;
  queryParams: Set<string>;
  headerParams: Set<string>;
  bodyParams: Set<string>;
  /** Status → JSON Schema of the body (null: no body). Compiled on first use. */
  responses: Map<number, Json | null>;
}

export interface Exchange {
  method: string;
  /** `/{domain}/v1/...` without the query. */
  path: string;
  query: Record<string, string>;
  body: Record<string, string | string[]>;
  headers: Record<string, string>;
  status: number;
  response: unknown;
  /** A deliberately off-spec request (e.g. an unknown route): only the error shape is checked. */
  offSpec?: boolean;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('uri-map', true);
ajv.addFormat('http-method', true);

/**
 * OpenAPI 3.0 schema → JSON Schema for Ajv: inlines `$ref`s into components.schemas, turns
 * `nullable` into a null type, and makes every object with `properties` exact (all properties
 * required, no others): the local cloud must return Twilio's full shape and nothing else.
 */
export function toJsonSchema(node: Json, components: Record<string, Json>): Json {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, components));
  if (node === null || typeof node !== 'object') return node;
  let out: Json = {};
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace('#/components/schemas/', '');
    if (!(name in components)) throw new Error(`unresolved $ref ${node.$ref}`);
    out = toJsonSchema(components[name], components);
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' || key === 'description' || key === 'nullable' || key.startsWith('x-')) continue;
    if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, toJsonSchema(v, components)]));
    else if (key === 'items') out.items = toJsonSchema(value, components);
    else out[key] ??= value;
  }
  if (out.properties) {
    out.required = Object.keys(out.properties);
    out.additionalProperties = false;
  }
  if (node.nullable === true) {
    if (out.type === undefined) return {}; // nullable with no type: any value
    out.type = [out.type, 'null'].flat();
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

export const TWILIO_ERROR_SCHEMA = {
  type: 'object',
  required: ['code', 'message', 'more_info', 'status'],
  additionalProperties: false,
  properties: {
    code: { type: 'integer' },
    message: { type: 'string', minLength: 1 },
    more_info: { type: 'string', format: 'uri' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
  },
};
const validateError = ajv.compile(TWILIO_ERROR_SCHEMA);

function loadOperations(): Operation[] {
  const operations: Operation[] = [];
  for (const [domain, file] of Object.entries(SPEC_FILES) as Array<[Domain, string]>) {
    const spec = JSON.parse(readFileSync(join(SPEC_DIR, file), 'utf8'));
    const components = spec.components.schemas;
    for (const [template, item] of Object.entries<Json>(spec.paths)) {
      for (const method of ['get', 'post', 'delete']) {
        const op = item[method];
        if (!op) continue;
        const params: Json[] = op.parameters ?? [];
        const names = (where: string) => new Set(params.filter((p) => p.in === where).map((p) => p.name as string));
        const form = op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema?.properties ?? {};
        const responses = new Map<number, Json | null>();
        for (const [status, response] of Object.entries<Json>(op.responses)) {
          const schema = response.content?.['application/json']?.schema;
          responses.set(Number(status), schema ? toJsonSchema(schema, components) : null);
        }
        const source = `/${domain}${template}`.replace(/\{[^}]+\}/g, '[^/]+');
        operations.push({
          operationId: op.operationId,
          domain,
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${source}$`),
          queryParams: names('query'),
          headerParams: names('header'),
          bodyParams: new Set(Object.keys(form)),
          responses,
        });
      }
    }
  }
  return operations;
}

export const OPERATIONS = loadOperations();

export function findOperation(method: string, path: string): Operation | undefined {
  return OPERATIONS.find((op) => op.method === method.toUpperCase() && op.pattern.test(path));
}

const ajvText = (v: ValidateFunction) => ajv.errorsText(v.errors, { separator: '; ' });
const compiled = new Map<Json, ValidateFunction>();
function validatorFor(schema: Json): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  return validate;
}

/** Problems with one exchange against the spec; empty when it conforms. */
export function specProblems(ex: Exchange): string[] {
  const where = `${ex.method} ${ex.path} → ${ex.status}`;
  const problems: string[] = [];
  if (ex.status >= 400) {
    if (!validateError(ex.response)) problems.push(`${where}: error body: ${ajvText(validateError)}`);
    else if ((ex.response as { status: number }).status !== ex.status) problems.push(`${where}: error body status differs from HTTP status`);
  }
  if (ex.offSpec) return problems;
  const op = findOperation(ex.method, ex.path);
  if (!op) return [...problems, `${where}: no operation in the spec`];
  const undefinedParams = [
    ...Object.keys(ex.query).filter((k) => !op.queryParams.has(k)),
    ...Object.keys(ex.body).filter((k) => !op.bodyParams.has(k)),
    ...Object.keys(ex.headers).filter((k) => !op.headerParams.has(k)),
  ];
  if (undefinedParams.length > 0) problems.push(`${where}: parameters not defined by ${op.operationId}: ${undefinedParams.join(', ')}`);
  if (ex.status < 400) {
    if (!op.responses.has(ex.status)) problems.push(`${where}: ${op.operationId} defines no ${ex.status} response`);
    const schema = op.responses.get(ex.status);
    const validate = schema ? validatorFor(schema) : undefined;
    if (validate && !validate(ex.response)) problems.push(`${where}: ${op.operationId}: ${ajvText(validate)}`);
    if (schema === null && ex.response !== null) problems.push(`${where}: ${op.operationId} defines no body, got one`);
  }
  return problems;
}
