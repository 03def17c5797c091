import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useTwilioRoom } from '../../src/renderer/twilio-room/use-twilio-room';
import { ROOM_PROGRAM_TRACK } from '../../src/shared/guest-room';
import { installFakeOnair } from './support/fake-onair';

/**
 * The studio's side of the room's return feed: what it publishes in its Twilio Video room.
 * twilio-video is replaced by a module that records `connect` and every publish / unpublish, so
 * the tests see the tracks (and their names) the room's guests would get.
 */
const twilio = vi.hoisted(() => ({ log: [] as string[], connected: [] as unknown[][], rooms: [] as unknown[] }));

vi.mock('twilio-video', async () => {
  const { EventEmitter } = await import('node:events');
  class LocalVideoTrack {
    readonly kind = 'video';
    readonly name: string;
    constructor(
      readonly mediaStreamTrack: MediaStreamTrack,
      options: { name?: string } = {},
    ) {
      this.name = options.name ?? mediaStreamTrack.id;
    }
  }
  class LocalDataTrack {
    readonly kind = 'data';
    send() {}
  }
  class FakeRoom extends EventEmitter {
    name = 'myroom';
    participants = new Map();
    localParticipant = {
      sid: 'PA-local',
      identity: 'streamer',
      publishTrack: (track: MediaStreamTrack, options?: { name?: string }) => {
        twilio.log.push(`publish ${track.id}${options?.name ? ` as ${options.name}` : ''}`);
        return Promise.resolve({});
      },
      unpublishTrack: (track: MediaStreamTrack) => void twilio.log.push(`unpublish ${track.id}`),
    };
    disconnect() {
      this.emit('disconnected', this);
    }
  }
  return {
    LocalVideoTrack,
    LocalDataTrack,
    connect: (_token: string, options: { tracks: unknown[] }) => {
      twilio.connected.push(options.tracks);
      const room = new FakeRoom();
      twilio.rooms.push(room);
      return Promise.resolve(room);
    },
  };
});

const track = (id: string, kind: 'video' | 'audio') => ({ id, kind }) as unknown as MediaStreamTrack;
/** What `connect` was given, readable: `program:<id>` for a named video, the id of a bare track, `data`. */
const described = (tracks: unknown[]) =>
  tracks.map((item) => {
    const local = item as { kind: string; name?: string; mediaStreamTrack?: MediaStreamTrack; id?: string };
    if (local.kind === 'data') return 'data';
    if (local.mediaStreamTrack) return `${local.name}:${local.mediaStreamTrack.id}`;
    return local.id;
  });

function Harness({ video, audio }: { video: MediaStreamTrack | null; audio: MediaStreamTrack | null }) {
  const room = useTwilioRoom(video, audio);
  return (
    <>
      <button type="button" onClick={() => void room.join()}>
        join
      </button>
      <output data-testid="phase">{room.state.phase}</output>
      <output data-testid="own-tile">{room.state.tiles.find((tile) => tile.local)?.video?.id ?? ''}</output>
    </>
  );
}

async function joined(video: MediaStreamTrack | null, audio: MediaStreamTrack | null) {
  const view = render(<Harness video={video} audio={audio} />);
  await act(async () => screen.getByRole('button', { name: 'join' }).click());
  await vi.waitFor(() => expect(screen.getByTestId('phase').textContent).toBe('joined'), { timeout: 15_000 });
  return view;
}

beforeEach(() => {
  twilio.log.length = 0;
  twilio.connected.length = 0;
  twilio.rooms.length = 0;
  installFakeOnair({ 'tokens.video': async () => ({ token: 'a.b.c', room: 'myroom', identity: 'streamer' }) });
});
afterEach(cleanup);

describe('Twilio mode: the studio publishes the program as its room video', () => {
  it('joins publishing the program video under the shared name, the microphone and the data track — no raw camera', async () => {
    await joined(track('program-1', 'video'), track('mic-1', 'audio'));
    expect(ROOM_PROGRAM_TRACK).toBe('program');
    expect(twilio.connected.map(described)).toEqual([['program:program-1', 'mic-1', 'data']]);
    expect(twilio.log).toEqual([]);
  });

  it('a new program track replaces the published one under the same name (unpublished first); a microphone switch is not named program', async () => {
    const mic = track('mic-1', 'audio');
    const view = await joined(track('program-1', 'video'), mic);
    view.rerender(<Harness video={track('program-2', 'video')} audio={mic} />);
    expect(twilio.log).toEqual(['unpublish program-1', 'publish program-2 as program']);
    // The studio's own tile in the room panel shows what it publishes.
    expect(screen.getByTestId('own-tile').textContent).toBe('program-2');
    // The same track objects again publish nothing (a rerender is not a change).
    const program3 = track('program-3', 'video');
    view.rerender(<Harness video={program3} audio={mic} />);
    view.rerender(<Harness video={program3} audio={mic} />);
    view.rerender(<Harness video={program3} audio={track('mic-2', 'audio')} />);
    expect(twilio.log).toEqual(['unpublish program-1', 'publish program-2 as program', 'unpublish program-2', 'publish program-3 as program', 'unpublish mic-1', 'publish mic-2']);
  });

  it('no program yet when joining: published under the name when it comes, unpublished when it goes', async () => {
    const mic = track('mic-1', 'audio');
    const view = await joined(null, mic);
    expect(twilio.connected.map(described)).toEqual([['mic-1', 'data']]);
    const program = track('program-1', 'video');
    view.rerender(<Harness video={program} audio={mic} />);
    expect(twilio.log).toEqual(['publish program-1 as program']);
    view.rerender(<Harness video={null} audio={mic} />);
    expect(twilio.log).toEqual(['publish program-1 as program', 'unpublish program-1']);
    expect(screen.getByTestId('own-tile').textContent).toBe('');
  });

  it('the program changing while the room is still connecting: the one it joined with is swapped once joined', async () => {
    const mic = track('mic-1', 'audio');
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    installFakeOnair({
      'tokens.video': async () => {
        await gate;
        return { token: 'a.b.c', room: 'myroom', identity: 'streamer' };
      },
    });
    const view = render(<Harness video={track('camera', 'video')} audio={mic} />);
    await act(async () => screen.getByRole('button', { name: 'join' }).click());
    view.rerender(<Harness video={track('program-1', 'video')} audio={mic} />);
    await act(async () => release());
    await vi.waitFor(() => expect(screen.getByTestId('phase').textContent).toBe('joined'), { timeout: 15_000 });
    expect(twilio.connected.map(described)).toEqual([['program:camera', 'mic-1', 'data']]);
    expect(twilio.log).toEqual(['unpublish camera', 'publish program-1 as program']);
    expect(screen.getByTestId('own-tile').textContent).toBe('program-1');
  });
});
