import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useGuestMedia } from '../../src/renderer/guests/use-guest-media';
import { installFakeOnair } from './support/fake-onair';

beforeEach(() => {
  installFakeOnair({});
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('useGuestMedia with nobody here', () => {
  it('measures link quality every second without re-rendering (the studio around it would redraw each time)', async () => {
    let renders = 0;
    const { result } = renderHook(() => {
      renders += 1;
      return useGuestMedia(null);
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1_500);
    });
    const settled = renders;
    const quality = result.current.quality;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5_000);
    });
    expect(renders).toBe(settled);
    expect(result.current.quality).toBe(quality);
    expect(result.current.quality).toEqual({});
  });
});
