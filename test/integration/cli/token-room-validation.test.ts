import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../src/main/core/local-cloud/index';
import { cliEnv, cloudRest, runOnair, tempFolders } from './support/onair-process';

/** `onair token video` and `onair room ensure` check every name before anything is created. */
// Each `onair` run is a new Node process loading the whole core (~0.7 s of CPU): on a saturated
// machine a run takes 10 s or more, so the bounds below only catch a hang.
const temp = tempFolders();
let cloud: LocalCloud;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  cloud = await startLocalCloud({ dataDir: temp.make('onair-cli-cloud-') });
  env = cliEnv(cloud, temp.make('onair-cli-data-'));
}, 30_000);

afterAll(async () => {
  await cloud?.close();
  temp.removeAll();
});

/** Every room with this unique name, in any status, as the cloud lists them. */
async function roomsNamed(name: string): Promise<unknown[]> {
  const listed = await cloudRest(cloud)('GET', `/video/v1/Rooms?UniqueName=${encodeURIComponent(name)}&PageSize=50`);
  expect(listed.status).toBe(200);
  return listed.body.rooms as unknown[];
}

const errorOf = (stderr: string) => (JSON.parse(stderr) as { error: { code: string; details?: unknown } }).error;

describe('onair names are checked before anything is created', () => {
  it('token video with a rejected identity creates no room', async () => {
    const run = await runOnair(['token', 'video', '--identity', '<bad>', '--room', 'never-made', '--json'], env);
    expect(run.code).not.toBe(0);
    expect(errorOf(run.stderr)).toMatchObject({ code: 'identity.invalid' });
    expect(await roomsNamed('never-made')).toEqual([]);
  }, 180_000);

  it('token video and room ensure refuse room names the rule rejects, with room.invalid, and create nothing', async () => {
    for (const name of ['../etc', ' ', 'x'.repeat(129)]) {
      for (const args of [['token', 'video', '--identity', 'alice', '--room', name], ['room', 'ensure', '--name', name]]) {
        const run = await runOnair([...args, '--json'], env);
        expect(run.code, `${args.join(' ')}`).not.toBe(0);
        expect(errorOf(run.stderr)).toEqual({
          code: 'room.invalid',
          message: expect.stringContaining('128'),
          details: { issues: [{ path: 'room', messageKey: 'validation.roomName' }] },
        });
      }
      expect(await roomsNamed(name)).toEqual([]);
    }
    const human = await runOnair(['room', 'ensure', '--name', 'a/b'], env);
    expect(human.stderr).toContain('room: Use 1 to 128 letters');
    const listed = await cloudRest(cloud)('GET', '/video/v1/Rooms?PageSize=50');
    expect(listed.body.rooms).toEqual([]);
  }, 180_000);

  it('accepts a room name of 128 characters in any script', async () => {
    const name = `配信${'r'.repeat(126)}`;
    const run = await runOnair(['token', 'video', '--identity', 'alice', '--room', name, '--json'], env);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ room: name, roomSid: expect.stringMatching(/^RM/) });
    expect(await roomsNamed(name)).toHaveLength(1);
  }, 180_000);
});
