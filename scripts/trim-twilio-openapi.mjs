#!/usr/bin/env node
/**
 * Makes the repo's trimmed Twilio OpenAPI fixture (test/fixtures/twilio-openapi/) from Twilio's own
 * OpenAPI 3 files (twilio-oai, spec/json, Apache-2.0). Run by hand when the source files change:
 *
 *   node scripts/trim-twilio-openapi.mjs <folder with twilio_{video,sync,media}_v1.json> [out folder]
 *
 * It keeps what the studio and its local cloud use: the paths below, their get/post/delete
 * operations (operationId, parameters, form body properties, JSON response schemas) and the
 * component schemas those reference. Descriptions, examples, tags and Twilio's x- annotations are
 * dropped. Each output file records where it came from (file, info.version, licence, sha256).
 * Nothing in the tests reads the source folder: they read the output, which is committed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Per domain: the source file and the paths the studio uses. */
export const TRIM_PLAN = {
  video: { file: 'twilio_video_v1.json', paths: ['/v1/Rooms', '/v1/Rooms/{Sid}'] },
  sync: { file: 'twilio_sync_v1.json', paths: ['/v1/Services/{ServiceSid}/Documents', '/v1/Services/{ServiceSid}/Documents/{Sid}'] },
  media: {
    file: 'twilio_media_v1.json',
    paths: ['/v1/MediaProcessors', '/v1/MediaProcessors/{Sid}', '/v1/PlayerStreamers', '/v1/PlayerStreamers/{Sid}', '/v1/PlayerStreamers/{Sid}/PlaybackGrant'],
  },
};

const METHODS = ['get', 'post', 'delete'];
/** Keys of a schema node that carry no validation meaning. */
const DROPPED = new Set(['description', 'example', 'examples', 'title', 'summary', 'externalDocs']);

/** A schema node without its prose and Twilio annotations; collects the component names it refers to. */
function cleanSchema(node, refs) {
  if (Array.isArray(node)) return node.map((n) => cleanSchema(n, refs));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string') refs.add(value.replace('#/components/schemas/', ''));
    // `properties` maps names to schemas: its keys are names, never prose to drop.
    out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanSchema(v, refs)])) : cleanSchema(value, refs);
  }
  return out;
}

function trimOperation(op, refs) {
  const parameters = (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required === true, schema: cleanSchema(p.schema ?? {}, refs) }));
  const form = op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema;
  const responses = {};
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    const schema = response.content?.['application/json']?.schema;
    responses[status] = schema ? { content: { 'application/json': { schema: cleanSchema(schema, refs) } } } : {};
  }
  return {
    operationId: op.operationId,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(form ? { requestBody: { content: { 'application/x-www-form-urlencoded': { schema: cleanSchema(form, refs) } } } } : {}),
    responses,
  };
}

/** The trimmed spec of one domain. */
export function trimSpec(spec, keepPaths, source) {
  const refs = new Set();
  const paths = {};
  for (const path of keepPaths) {
    const item = spec.paths[path];
    if (!item) throw new Error(`${source.file}: no path ${path}`);
    paths[path] = {};
    for (const method of METHODS) if (item[method]) paths[path][method] = trimOperation(item[method], refs);
  }
  // Components referenced from kept operations, and those they reference in turn.
  const schemas = {};
  const pending = [...refs];
  while (pending.length > 0) {
    const name = pending.pop();
    if (name in schemas) continue;
    const component = spec.components.schemas[name];
    if (!component) throw new Error(`${source.file}: unresolved component ${name}`);
    const more = new Set();
    schemas[name] = cleanSchema(component, more);
    pending.push(...more);
  }
  return {
    openapi: spec.openapi,
    info: { title: spec.info.title, version: spec.info.version, license: spec.info.license },
    'x-onair-source': source,
    paths,
    components: { schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))) },
  };
}

function main(argv) {
  const [from, to = 'test/fixtures/twilio-openapi'] = argv;
  if (!from) {
    console.error('usage: node scripts/trim-twilio-openapi.mjs <folder with twilio_*_v1.json> [out folder]');
    process.exit(2);
  }
  mkdirSync(to, { recursive: true });
  for (const [domain, plan] of Object.entries(TRIM_PLAN)) {
    const raw = readFileSync(join(from, plan.file));
    const spec = JSON.parse(raw.toString('utf8'));
    if (!/apache/i.test(spec.info?.license?.name ?? '')) throw new Error(`${plan.file}: expected an Apache-2.0 licence, found ${JSON.stringify(spec.info?.license)}`);
    const source = {
      file: plan.file,
      origin: 'twilio/twilio-oai on GitHub, spec/json',
      infoVersion: spec.info.version,
      license: 'Apache-2.0',
      sha256: createHash('sha256').update(raw).digest('hex'),
    };
    const out = join(to, `${domain}.json`);
    writeFileSync(out, `${JSON.stringify(trimSpec(spec, plan.paths, source), null, 1)}\n`);
    console.info(`${out}: ${plan.paths.length} paths from ${plan.file} (info.version ${source.infoVersion})`);
  }
}

if (import.meta.url === `file://${resolve(process.argv[1] ?? '')}`) main(process.argv.slice(2));
