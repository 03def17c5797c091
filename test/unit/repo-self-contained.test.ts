import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM script without types
import { TRIM_PLAN, trimSpec } from '../../scripts/trim-twilio-openapi.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const CODE = /\.(ts|tsx|mjs|js|cjs|sh)$/;
/** Ways code has reached the folder beside the repo. */
const OUTSIDE = [/['"]\.\.['"],\s*['"]shared['"]/, /shared\/twilio-openapi/, /process\.cwd\(\),\s*['"]\.\.['"]/];

function codeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'out' || name.startsWith('.git')) return [];
    if (statSync(path).isDirectory()) return codeFiles(path);
    return CODE.test(name) || dir.endsWith('.ci') ? [path] : [];
  });
}

describe('a clone has nothing beside it', () => {
  it('no code, test, script or CI step refers to ../shared or above the repo', () => {
    const places = ['src', 'test', 'scripts', 'bench', 'bin', '.ci', 'vitest.config.ts', 'vitest.electron.config.ts', 'electron.vite.config.ts'];
    const files = places.flatMap((p) => (statSync(join(ROOT, p)).isDirectory() ? codeFiles(join(ROOT, p)) : [join(ROOT, p)]));
    expect(files.length).toBeGreaterThan(50);
    const self = relative(ROOT, import.meta.filename);
    const offenders = files
      .filter((file) => relative(ROOT, file) !== self)
      .filter((file) => OUTSIDE.some((pattern) => pattern.test(readFileSync(file, 'utf8'))))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });

  it('the committed OpenAPI fixture records its source, version and licence for every domain', () => {
    for (const [domain, plan] of Object.entries(TRIM_PLAN as Record<string, { file: string; paths: string[] }>)) {
      const spec = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/twilio-openapi', `${domain}.json`), 'utf8'));
      expect(spec['x-onair-source']).toMatchObject({ file: plan.file, license: 'Apache-2.0', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(spec.info.version).toBe(spec['x-onair-source'].infoVersion);
      expect(Object.keys(spec.paths).sort()).toEqual([...plan.paths].sort());
      expect(JSON.stringify(spec)).not.toContain('"description"');
    }
  });
});

describe('trimSpec', () => {
  const source = { file: 'x.json' };
  const spec = {
    openapi: '3.0.1',
    info: { title: 't', version: '9', license: { name: 'Apache 2.0' }, description: 'long' },
    paths: {
      '/v1/A': {
        description: 'drop',
        'x-twilio': {},
        get: {
          operationId: 'ListA',
          description: 'drop',
          parameters: [{ name: 'PageSize', in: 'query', description: 'drop', schema: { type: 'integer', description: 'drop' } }],
          responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/a' } } } } },
        },
        post: {
          operationId: 'CreateA',
          requestBody: { content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { description: { type: 'string', description: 'drop' } } } } } },
          responses: { '204': { description: 'gone' } },
        },
      },
      '/v1/Unused': { get: { operationId: 'Unused', responses: {} } },
    },
    components: { schemas: { a: { type: 'object', properties: { b: { $ref: '#/components/schemas/b' } } }, b: { type: 'string', nullable: true, 'x-twilio': {} }, unused: { type: 'string' } } },
  };

  it('keeps the listed paths, their parameters, bodies and referenced schemas, without prose', () => {
    const out = trimSpec(spec, ['/v1/A'], source);
    expect(Object.keys(out.paths)).toEqual(['/v1/A']);
    expect(out.paths['/v1/A'].get.parameters).toEqual([{ name: 'PageSize', in: 'query', required: false, schema: { type: 'integer' } }]);
    // A property that happens to be called "description" is a name, not prose.
    expect(out.paths['/v1/A'].post.requestBody.content['application/x-www-form-urlencoded'].schema.properties).toEqual({ description: { type: 'string' } });
    expect(out.paths['/v1/A'].post.responses).toEqual({ '204': {} });
    expect(out.components.schemas).toEqual({ a: { type: 'object', properties: { b: { $ref: '#/components/schemas/b' } } }, b: { type: 'string', nullable: true } });
    expect(out['x-onair-source']).toBe(source);
  });

  it('refuses a path or a reference the source does not have', () => {
    expect(() => trimSpec(spec, ['/v1/Missing'], source)).toThrow(/no path \/v1\/Missing/);
    const broken = { ...spec, components: { schemas: {} } };
    expect(() => trimSpec(broken, ['/v1/A'], source)).toThrow(/unresolved component a/);
  });
});
