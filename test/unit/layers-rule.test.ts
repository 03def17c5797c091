import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { LAYERS, layerOf } from '../../scripts/eslint-layers.mjs';

const root = resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it were the file at `path` (nothing is written): only the layering rule's messages. */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, path) });
  return result!.messages.filter((m) => m.ruleId === 'onair/layers').map((m) => m.message);
}

describe('the layering rule (npm run lint)', () => {
  it('fails a file in core/media that imports the local cloud, and says which arrows media may draw', async () => {
    const errors = await layerErrors('src/main/core/media/planted.ts', "import { startLocalCloud } from '../local-cloud/index';\nexport const x = startLocalCloud;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('The media layer may not import from local-cloud');
    expect(errors[0]).toContain('media may import: shared');
  });

  it('resolves paths, not strings: a re-export, a dynamic import and a deep path into another layer are caught too', async () => {
    const code = [
      "export { SettingsService } from '../../settings/settings-service';",
      "export * from '../../broadcast/broadcast-service';",
      "export const load = () => import('../../../../renderer/main');",
    ].join('\n');
    const errors = await layerErrors('src/main/core/media/hls/planted.ts', code);
    expect(errors.map((e) => e.split(' (')[0])).toEqual([
      'The media layer may not import from settings',
      'The media layer may not import from broadcast',
      'The media layer may not import from renderer',
    ]);
  });

  it('lets a file import its own layer and the layers below it', async () => {
    const code = [
      "import { FeedFramer } from '../media/feed/framing';",
      "import { StudioError } from '../../../shared/errors';",
      "import { something } from './model';",
      "export const all = [FeedFramer, StudioError, something];",
    ].join('\n');
    expect(await layerErrors('src/main/core/local-cloud/planted.ts', code)).toEqual([]);
  });

  it('keeps the contract a leaf and the renderer on the contract only', async () => {
    expect(await layerErrors('src/shared/planted.ts', "import { x } from '../main/core/media/feed/framing';\nexport const y = x;\n")).toHaveLength(1);
    expect(await layerErrors('src/renderer/planted.ts', "import { x } from '../main/core/studio-core';\nexport const y = x;\n")).toHaveLength(1);
    expect(await layerErrors('src/renderer/planted.ts', "import { x } from '../shared/contract';\nexport const y = x;\n")).toEqual([]);
  });

  it('names every folder of src a layer, the nested ones before their parents, and only arrows to layers that exist', () => {
    const names = new Set(LAYERS.map((l) => l.layer));
    for (const { may } of LAYERS) for (const target of may) expect(names.has(target), target).toBe(true);
    expect(layerOf(resolve(root, 'src/main/core/media/hls/packager.ts'), root)?.layer).toBe('media');
    expect(layerOf(resolve(root, 'src/main/core/studio-core.ts'), root)?.layer).toBe('core');
    expect(layerOf(resolve(root, 'src/main/index.ts'), root)?.layer).toBe('main');
    expect(layerOf(resolve(root, 'test/unit/x.ts'), root)).toBeNull();
    // A new folder in the core gets its own entry (and its arrows) rather than the composition root's.
    const coreFolders = readdirSync(resolve(root, 'src/main/core'), { withFileTypes: true }).filter((d) => d.isDirectory());
    for (const folder of coreFolders) expect(layerOf(resolve(root, 'src/main/core', folder.name, 'x.ts'), root)?.folder, folder.name).toBe(`src/main/core/${folder.name}`);
  });
});
