import { readFileSync } from 'node:fs';
import Conf from 'conf';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/cli/memory-store';
import type { KeyValueStore } from '../../../src/main/core/settings/ports';
import { SessionKeyCipher } from '../../../src/main/core/settings/session-key-cipher';
import { createStudioCore, type StudioCore } from '../../../src/main/core/studio-core';
import type { Envelope } from '../../../src/shared/contract';
import { defaultScenesDoc, MAX_IMAGE_DATA_URL_LENGTH, presetItems, type ScenesDoc, scenesDocSchema } from '../../../src/shared/scenes';
import { scratchDir } from '../../support/scratch';
import { APP_ORIGIN } from '../support/studio-fixture';

/**
 * Scenes through the IPC contract, as the renderer drives them: `scenes.get`, `scenes.save`, the
 * `scenes.changed` event, refusals with their codes, and a restart (a new core on the same data
 * folder and settings file) that finds the same document.
 */
const open: StudioCore[] = [];
afterEach(async () => {
  for (const core of open.splice(0)) await core.close();
});

function makeCore(store: KeyValueStore, dataDir = scratchDir('scenes-data')) {
  const core = createStudioCore({
    store,
    cipher: new SessionKeyCipher(),
    info: { name: 'test', version: '0', platform: 'linux', shell: 'web' },
    dataDir,
    appOrigin: APP_ORIGIN,
    isTrustedSender: (sender) => sender.url === APP_ORIGIN,
    // Scenes never need the local cloud; starting one would be a mistake.
    localCloud: () => Promise.reject(new Error('no local cloud in the scenes test')),
  });
  open.push(core);
  const changes: ScenesDoc[] = [];
  core.events.connect((event, payload) => {
    if (event === 'scenes.changed') changes.push(scenesDocSchema.parse(payload));
  });
  const dispatch = (channel: string, payload?: unknown, url = APP_ORIGIN) => core.dispatch(channel, payload, { url }) as Promise<Envelope<ScenesDoc>>;
  const call = async (channel: string, payload?: unknown): Promise<ScenesDoc> => {
    const envelope = await dispatch(channel, payload);
    if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code}`);
    return envelope.value;
  };
  return { core, changes, dispatch, call };
}

/** A streamer's document: Screen + camera and Starting soon, the second on air. */
function twoScenes(): ScenesDoc {
  return {
    ...defaultScenesDoc(),
    scenes: [
      { id: 'pip', name: 'Screen + camera', items: presetItems('screen_pip', 'pip') },
      { id: 'soon', name: 'Starting soon', items: presetItems('starting_soon', 'soon') },
    ],
    programSceneId: 'soon',
    transition: { kind: 'cut', durationMs: 500 },
  };
}

const confStore = (dir: string) => new Conf<Record<string, unknown>>({ projectName: 'onair-studio', projectSuffix: '', configName: 'settings-web', cwd: dir });

describe('scenes over IPC', () => {
  it('answers the default document when nothing is stored', async () => {
    const { call } = makeCore(new MemoryStore());
    expect(await call('scenes.get')).toEqual(defaultScenesDoc());
  });

  it('saves a valid document, tells every window, and answers it from then on', async () => {
    const { call, changes } = makeCore(new MemoryStore());
    const saved = await call('scenes.save', twoScenes());
    expect(saved).toEqual(twoScenes());
    expect(changes).toEqual([twoScenes()]);
    expect(await call('scenes.get')).toEqual(twoScenes());
  });

  it('refuses an invalid document with scenes.invalid and its fields, and keeps the last good one', async () => {
    const { call, dispatch, changes } = makeCore(new MemoryStore());
    await call('scenes.save', twoScenes());
    const bad = { ...twoScenes(), programSceneId: 'nowhere' };
    const refused = await dispatch('scenes.save', bad);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('scenes.invalid');
    expect(refused.error.details?.issues?.map((issue) => issue.path)).toContain('programSceneId');

    const noScenes = await dispatch('scenes.save', { ...twoScenes(), scenes: [] });
    expect(noScenes.ok ? null : noScenes.error.code).toBe('scenes.invalid');
    const notADoc = await dispatch('scenes.save', 'scenes');
    expect(notADoc.ok ? null : notADoc.error.code).toBe('scenes.invalid');

    expect(await call('scenes.get')).toEqual(twoScenes());
    expect(changes).toHaveLength(1);
  });

  it('refuses an oversized image with scenes.image_too_large, without echoing it', async () => {
    const { call, dispatch } = makeCore(new MemoryStore());
    const doc = twoScenes();
    const src = `data:image/png;base64,${'A'.repeat(MAX_IMAGE_DATA_URL_LENGTH)}`;
    doc.scenes[0]!.items.push({ id: 'logo', name: 'Logo', kind: 'image', src, rect: { x: 0, y: 0, w: 0.2, h: 0.2 }, crop: { left: 0, top: 0, right: 0, bottom: 0 }, visible: true });
    const refused = await dispatch('scenes.save', doc);
    expect(refused.ok ? null : refused.error.code).toBe('scenes.image_too_large');
    expect(JSON.stringify(refused).length).toBeLessThan(2_000);
    expect(await call('scenes.get')).toEqual(defaultScenesDoc());
  });

  it('refuses a document too large to keep with scenes.too_large', async () => {
    const { dispatch } = makeCore(new MemoryStore());
    const doc = twoScenes();
    // Two images just under the per-image bound: each is allowed, together they are too much.
    const src = `data:image/png;base64,${'A'.repeat(MAX_IMAGE_DATA_URL_LENGTH - 100)}`;
    for (const id of ['a', 'b']) {
      doc.scenes[0]!.items.push({ id, name: id, kind: 'image', src, rect: { x: 0, y: 0, w: 0.2, h: 0.2 }, crop: { left: 0, top: 0, right: 0, bottom: 0 }, visible: true });
    }
    const refused = await dispatch('scenes.save', doc);
    expect(refused.ok ? null : refused.error.code).toBe('scenes.too_large');
  });

  it('answers the default for an unreadable stored document, and leaves it untouched until a save', async () => {
    const store = new MemoryStore();
    store.set('scenes', { version: 99, scenes: 'broken' });
    const { call } = makeCore(store);
    expect(await call('scenes.get')).toEqual(defaultScenesDoc());
    expect(store.get('scenes')).toEqual({ version: 99, scenes: 'broken' });
    await call('scenes.save', twoScenes());
    expect(store.get('scenes')).toEqual(twoScenes());
  });

  it('refuses a page that is not the studio', async () => {
    const { dispatch } = makeCore(new MemoryStore());
    const refused = await dispatch('scenes.get', undefined, 'http://evil.example');
    expect(refused.ok ? null : refused.error.code).toBe('ipc.untrusted_sender');
  });

  it('keeps the document across a restart: a new core on the same data folder', async () => {
    const dir = scratchDir('scenes-restart');
    const first = makeCore(confStore(dir), dir);
    await first.call('scenes.save', twoScenes());
    await first.core.close();
    open.splice(open.indexOf(first.core), 1);

    // What is on disk is the document itself (no image, no secret to hide here).
    const file = confStore(dir).path;
    expect(JSON.parse(readFileSync(file, 'utf8')).scenes).toEqual(twoScenes());

    const second = makeCore(confStore(dir), dir);
    expect(await second.call('scenes.get')).toEqual(twoScenes());
  });
});
