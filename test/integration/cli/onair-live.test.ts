import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NginxRtmp, nginxRtmpMissing, startNginxRtmp } from '../../support/nginx-rtmp';
import { probe, videoPackets, waitFor } from '../rtmp/support';
import { ONAIR_BIN, runOnair, tempFolders } from './support/onair-process';

/**
 * `onair destination add` then `onair live --test-pattern`, as a user types them, against a real
 * nginx-rtmp: the stream arrives (H.264 + AAC, a keyframe every 2 s), Ctrl-C (SIGINT) ends it and
 * leaves no ffmpeg, and a wrong key is reported with the app's code and words.
 */
const temp = tempFolders();
const GOOD_KEY = `live_${randomBytes(8).toString('hex')}`;
let nginx: NginxRtmp;

beforeAll(async () => {
  expect(nginxRtmpMissing()).toBeNull();
  nginx = await startNginxRtmp({ keys: [GOOD_KEY] });
}, 60_000);

afterAll(async () => {
  await nginx?.close();
  temp.removeAll();
});

function env(dataDir: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, ONAIR_DATA_DIR: dataDir, ONAIR_VAULT_KEY: randomKeyFor(dataDir) };
}
const keys = new Map<string, string>();
/** One vault key per data folder (the web studio's ONAIR_VAULT_KEY). */
function randomKeyFor(dataDir: string): string {
  if (!keys.has(dataDir)) keys.set(dataDir, randomBytes(32).toString('hex'));
  return keys.get(dataDir)!;
}

/** `onair destination add …` with the key on standard input, as `echo "$KEY" | onair destination add …`. */
function addDestination(dataDir: string, name: string, key: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [ONAIR_BIN, 'destination', 'add', '--name', name, '--server', nginx.rtmpUrl(), '--json'], { env: env(dataDir) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(`${key}\n`);
    child.once('close', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

/** `onair live --test-pattern --json` in the background; its JSON lines as they come. */
function startLive(dataDir: string, extra: string[] = []): { child: ChildProcess; events: Array<Record<string, unknown>>; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [ONAIR_BIN, 'live', '--test-pattern', '--json', ...extra], { env: env(dataDir) });
  const events: Array<Record<string, unknown>> = [];
  let partial = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) events.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr!.on('data', (d) => (stderr += d));
  return { child, events, stderr: () => stderr, exited: new Promise((resolve) => child.once('close', (code) => resolve(code))) };
}

/** ffmpeg processes whose parent is `pid`. */
function ffmpegChildrenOf(pid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, ppid, comm]) => Number(ppid) === pid && comm === 'ffmpeg')
    .map(([child]) => Number(child));
}

describe('onair destination + onair live (headless, real nginx-rtmp)', () => {
  it('adds, lists and removes destinations; the key never appears in any output', async () => {
    const dataDir = temp.make('onair-cli-dest-');
    const added = await addDestination(dataDir, 'Test ingest', GOOD_KEY);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const view = JSON.parse(added.stdout) as { id: string; keyConfigured: boolean; keyHint: string };
    expect(view).toMatchObject({ keyConfigured: true, keyHint: `••••${GOOD_KEY.slice(-4)}` });

    const listed = await runOnair(['destination', 'list'], env(dataDir));
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('Test ingest');
    expect(listed.stdout + listed.stderr + added.stdout).not.toContain(GOOD_KEY);

    const removed = await runOnair(['destination', 'remove', view.id, '--json'], env(dataDir));
    expect(removed.code).toBe(0);
    expect(JSON.parse((await runOnair(['destination', 'list', '--json'], env(dataDir))).stdout)).toEqual([]);

    const missing = await runOnair(['destination', 'remove', view.id], env(dataDir));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('destination.not_found');
  }, 180_000);

  it('publishes the test pattern (H.264 + AAC, keyframes 2 s apart); SIGINT ends it and no ffmpeg is left', async () => {
    const dataDir = temp.make('onair-cli-live-');
    expect((await addDestination(dataDir, 'Ingest', GOOD_KEY)).code).toBe(0);
    const live = startLive(dataDir);
    try {
      await waitFor(() => live.events.find((e) => e.event === 'destination' && e.state === 'live'), `the destination live (stderr: ${live.stderr()})`, 90_000);
      const url = `${nginx.rtmpUrl()}/${GOOD_KEY}`;
      const streams = await probe(url, 60_000);
      expect(streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264' });
      expect(streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
      // Keyframes on the stream's own clock, 2 s apart.
      const packets = await videoPackets(url, 7, 60_000);
      const keys = packets.filter((p) => p.key).map((p) => p.time);
      expect(keys.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < keys.length; i++) expect(keys[i]! - keys[i - 1]!).toBeCloseTo(2, 1);

      const pid = live.child.pid!;
      expect(ffmpegChildrenOf(pid).length).toBeGreaterThanOrEqual(2);
      live.child.kill('SIGINT');
      expect(await live.exited).toBe(0);
      expect(live.events.map((e) => e.event)).toEqual(expect.arrayContaining(['live', 'stopping', 'stopped']));
      expect(ffmpegChildrenOf(pid)).toEqual([]);
      await waitFor(async () => (await nginx.streams()).every((s) => s.name !== GOOD_KEY) || null, 'nginx to see the publisher go', 30_000);
    } finally {
      live.child.kill('SIGKILL');
    }
  }, 300_000);

  it('a wrong key fails with the app’s reason and words; with every destination failed the run ends by itself and exits 1', async () => {
    const dataDir = temp.make('onair-cli-wrong-');
    expect((await addDestination(dataDir, 'Wrong', `wrong_${randomBytes(6).toString('hex')}`)).code).toBe(0);
    const live = startLive(dataDir);
    try {
      expect(await live.exited).toBe(1);
      const failed = live.events.find((e) => e.event === 'destination' && e.state === 'failed');
      expect(failed).toMatchObject({ name: 'Wrong', reason: 'key_rejected' });
      expect(live.events.find((e) => e.event === 'stopping')).toMatchObject({ why: 'every destination failed' });
    } finally {
      live.child.kill('SIGKILL');
    }

    // The human form says it in the studio's words.
    const human = await runOnair(['live', '--test-pattern'], env(dataDir));
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('Wrong: failed');
    expect(human.stdout).toContain('Stream key rejected');
    expect(human.stdout).toContain('The platform rejected the stream key.');
  }, 300_000);
});
