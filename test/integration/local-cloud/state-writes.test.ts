import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATE_FILE } from '../../../src/main/core/local-cloud';
import { useFreshClouds } from './support/cloud';

const { start, dataDir } = useFreshClouds();
const ROOMS = '/video/v1/Rooms';

/** A state-file writer that records what it was asked to write, and can tell when the next write comes. */
function recordingWriter() {
  const writes: string[] = [];
  let waiting: ((text: string) => void) | null = null;
  return {
    writes,
    write: async (_file: string, text: string) => {
      writes.push(text);
      waiting?.(text);
      waiting = null;
    },
    nextWrite: () => new Promise<string>((resolve) => (waiting = resolve)),
  };
}

describe('local cloud state writes', () => {
  it('coalesces many changes into one write, and writes what is pending on close', async () => {
    const writer = recordingWriter();
    const { api, cloud } = await start({ persistence: { coalesceMs: 60_000, write: writer.write } });
    expect(writer.writes).toHaveLength(1); // the fresh file with its credentials
    for (let i = 0; i < 50; i += 1) expect((await api.post(ROOMS, { UniqueName: `r${i}` })).status).toBe(201);
    await api.post('/media/v1/PlayerStreamers');
    expect(writer.writes).toHaveLength(1);
    await cloud.close();
    expect(writer.writes).toHaveLength(2);
    const saved = JSON.parse(writer.writes[1]!);
    expect(saved.rooms).toHaveLength(50);
    expect(saved.playerStreamers).toHaveLength(1);
  });

  it('writes on its own once the coalescing window has passed', async () => {
    const writer = recordingWriter();
    const { api } = await start({ persistence: { coalesceMs: 10, write: writer.write } });
    const written = writer.nextWrite();
    const room = (await api.post(ROOMS, { UniqueName: 'soon' })).body;
    expect(JSON.parse(await written).rooms.map((r: { sid: string }) => r.sid)).toEqual([room.sid]);
  });

  it('loses nothing on a clean close, with the real writer', async () => {
    const dir = await dataDir();
    const first = await start({ dataDir: dir, persistence: { coalesceMs: 60_000 } });
    const room = (await first.api.post(ROOMS, { UniqueName: 'kept' })).body;
    await first.cloud.close();
    expect(JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')).rooms[0].sid).toBe(room.sid);

    const second = await start({ dataDir: dir });
    expect((await second.api.get(`${ROOMS}/kept`)).body.sid).toBe(room.sid);
  });
});
