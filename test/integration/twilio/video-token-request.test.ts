import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../../src/main/core/local-cloud/index';
import { startLocalCloud } from '../../../src/main/core/local-cloud/index';
import type { StudioCore } from '../../../src/main/core/studio-core';
import { cloudRest, tempFolders } from '../cli/support/onair-process';
import { APP_ORIGIN, studioCore } from '../support/studio-fixture';

/** `tokens.video` over IPC: a rejected request changes nothing in the cloud. */
const temp = tempFolders();
let cloud: LocalCloud;
let core: StudioCore;

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir: temp.make('onair-cli-cloud-') });
  core = studioCore(cloud);
}, 30_000);

afterAll(async () => {
  await core?.close();
  await cloud?.close();
  temp.removeAll();
});

const videoToken = (request: unknown) => core.dispatch('tokens.video', request, { url: `${APP_ORIGIN}/index.html` });

async function allRooms(): Promise<Array<{ unique_name: string }>> {
  return (await cloudRest(cloud)('GET', '/video/v1/Rooms?PageSize=50')).body.rooms as Array<{ unique_name: string }>;
}

describe('tokens.video', () => {
  it('rejects a bad identity before the room is ensured', async () => {
    expect(await videoToken({ identity: '<bad>', room: 'ipc-room' })).toMatchObject({ ok: false, error: { code: 'identity.invalid' } });
    expect(await videoToken({ identity: 'x'.repeat(129) })).toMatchObject({ ok: false, error: { code: 'identity.invalid' } });
    expect(await allRooms()).toEqual([]);
  });

  it('rejects a room name outside the shared rule, naming the field, and creates nothing', async () => {
    for (const room of ['a/b', 'x'.repeat(129), '', '#hash']) {
      expect(await videoToken({ identity: 'alice', room }), room).toEqual({
        ok: false,
        error: { code: 'ipc.invalid_payload', message: expect.any(String), details: { issues: [{ path: 'room', messageKey: 'validation.roomName' }] } },
      });
    }
    expect(await allRooms()).toEqual([]);
  });

  it('mints the token for a valid request, after checking both names', async () => {
    const minted = await videoToken({ identity: ' 配信者 ', room: 'ipc-room' });
    expect(minted).toMatchObject({ ok: true, value: { identity: '配信者', room: 'ipc-room', roomSid: expect.stringMatching(/^RM/) } });
    expect((await allRooms()).map((room) => room.unique_name)).toEqual(['ipc-room']);
  });
});
