import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CompositorOptions, LiveSources } from '../../src/renderer/compositor/compositor';
import { presetItems, type Scene } from '../../src/shared/scenes';

/**
 * useCompositor's lifecycle with the Compositor replaced by a recorder (happy-dom has no
 * MediaStreamTrackGenerator; the drawing itself is tested in Chromium, test/e2e/compositor.test.ts).
 */
const made: FakeCompositor[] = [];
let supported = true;

class FakeCompositor {
  readonly track = { id: `track-${made.length}`, kind: 'video' } as unknown as MediaStreamTrack;
  readonly calls: Array<[string, ...unknown[]]> = [];
  disposed = false;
  constructor(readonly options: CompositorOptions) {
    made.push(this);
  }
  setSources(sources: LiveSources) {
    this.calls.push(['setSources', sources]);
  }
  setProgram(scene: Scene, transition: unknown) {
    this.calls.push(['setProgram', scene.id, transition]);
  }
  resize(width: number, height: number, fps: number) {
    this.calls.push(['resize', width, height, fps]);
  }
  dispose() {
    this.disposed = true;
  }
  of(name: string) {
    return this.calls.filter(([call]) => call === name).map(([, ...args]) => args);
  }
}

vi.mock('../../src/renderer/compositor/compositor', () => ({
  Compositor: FakeCompositor,
  compositorSupported: () => supported,
}));
const { useCompositor } = await import('../../src/renderer/compositor/use-compositor');

class FakeMediaStream {
  constructor(readonly tracks: MediaStreamTrack[]) {}
}

const scene = (id: string): Scene => ({ id, name: id, items: presetItems('camera', id) });
const camera = {} as MediaStream;
const screenShare = {} as MediaStream;
type Props = { program: Scene; transition: { kind: 'cut' | 'fade'; durationMs: number }; sources: LiveSources; width: number; height: number; fps: number };
const initial: Props = { program: scene('one'), transition: { kind: 'fade', durationMs: 300 }, sources: { camera, screen: null }, width: 1280, height: 720, fps: 30 };

beforeEach(() => {
  made.length = 0;
  supported = true;
  vi.stubGlobal('MediaStream', FakeMediaStream);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('useCompositor', () => {
  it('one compositor and one track for the hook’s life: scene switches, sources and size go into it', async () => {
    const { result, rerender, unmount } = renderHook((props: Props) => useCompositor(props), { initialProps: initial });
    await waitFor(() => expect(result.current.track).not.toBeNull());
    expect(made).toHaveLength(1);
    const compositor = made[0]!;
    expect(compositor.options).toMatchObject({ width: 1280, height: 720, fps: 30, engine: 'main' });
    const track = result.current.track;
    expect(track).toBe(compositor.track);
    expect((result.current.stream as unknown as FakeMediaStream).tracks).toEqual([track]);
    expect(compositor.of('setSources')).toEqual([[{ camera, screen: null }]]);
    expect(compositor.of('setProgram')).toEqual([['one', { kind: 'fade', durationMs: 300 }]]);

    // A scene switch: the same track; the new scene with the transition.
    rerender({ ...initial, program: scene('two') });
    expect(result.current.track).toBe(track);
    expect(compositor.of('setProgram').at(-1)).toEqual(['two', { kind: 'fade', durationMs: 300 }]);
    // A cut is passed as such.
    rerender({ ...initial, program: scene('one'), transition: { kind: 'cut', durationMs: 300 } });
    expect(compositor.of('setProgram').at(-1)).toEqual(['one', { kind: 'cut', durationMs: 300 }]);

    // The screen shared: only the sources change.
    rerender({ ...initial, program: scene('one'), transition: { kind: 'cut', durationMs: 300 }, sources: { camera, screen: screenShare } });
    expect(compositor.of('setSources').at(-1)).toEqual([{ camera, screen: screenShare }]);
    // A new output size resizes in place.
    rerender({ ...initial, program: scene('one'), transition: { kind: 'cut', durationMs: 300 }, sources: { camera, screen: screenShare }, width: 1920, height: 1080 });
    expect(compositor.of('resize').at(-1)).toEqual([1920, 1080, 30]);
    expect(made).toHaveLength(1);
    expect(result.current.track).toBe(track);

    // Re-rendering with equal values sends nothing again.
    const before = compositor.calls.length;
    rerender({ ...initial, program: scene('one'), transition: { kind: 'cut', durationMs: 300 }, sources: { camera, screen: screenShare }, width: 1920, height: 1080 });
    expect(compositor.calls.slice(before).map(([name]) => name)).toEqual(['setProgram']);

    expect(compositor.disposed).toBe(false);
    unmount();
    expect(compositor.disposed).toBe(true);
  });

  it('keeps the compositor’s stats out of React state: the hook asks it for size, rate and engine only, no reports', async () => {
    const { result } = renderHook((props: Props) => useCompositor(props), { initialProps: initial });
    await waitFor(() => expect(result.current.track).not.toBeNull());
    // Anything more (a stats callback) would be a per-second setState: the studio re-rendered 4.4 times a second that way.
    expect(made[0]!.options).toEqual({ width: 1280, height: 720, fps: 30, engine: 'main' });
    expect(result.current).not.toHaveProperty('stats');
  });

  it('where the browser cannot compose: no compositor, no track, unsupported', () => {
    supported = false;
    const { result } = renderHook((props: Props) => useCompositor(props), { initialProps: initial });
    expect(made).toHaveLength(0);
    expect(result.current).toMatchObject({ track: null, stream: null, unsupported: true });
  });
});
