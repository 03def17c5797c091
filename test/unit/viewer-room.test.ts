import { describe, expect, it } from 'vitest';
import { ViewerRoom } from '../../src/main/core/guests/viewer-room';

/** Who counts as a network viewer, and who is turned away (pure, on an injected clock). */
function room(max = 2, perAddress = 100) {
  let now = 1_000;
  let limit = max;
  const viewers = new ViewerRoom({ max: () => limit, activeMs: 30_000, rateWindowMs: 10_000, perAddress }, () => now);
  return {
    viewers,
    advance: (ms: number) => (now += ms),
    setMax: (next: number) => (limit = next),
  };
}

describe('ViewerRoom', () => {
  it('lets in at most max viewers; one more is told the stream is full', () => {
    const { viewers } = room(2);
    expect(viewers.ask('viewer-a', '10.0.0.1')).toEqual({ ok: true });
    expect(viewers.ask('viewer-b', '10.0.0.2')).toEqual({ ok: true });
    expect(viewers.ask('viewer-c', '10.0.0.3')).toEqual({ ok: false, reason: 'full' });
    expect(viewers.watching()).toBe(2);
  });

  it('never refuses a viewer already watching when it asks again, even with the room full', () => {
    const { viewers, advance } = room(2);
    viewers.ask('viewer-a', '10.0.0.1');
    viewers.ask('viewer-b', '10.0.0.2');
    for (let i = 0; i < 10; i++) {
      advance(20_000);
      expect(viewers.ask('viewer-c', '10.0.0.3')).toEqual({ ok: false, reason: 'full' });
      expect(viewers.ask('viewer-a', '10.0.0.1')).toEqual({ ok: true });
      expect(viewers.ask('viewer-b', '10.0.0.2')).toEqual({ ok: true });
    }
  });

  it('frees the place of a viewer that stopped asking once the window has passed, not before', () => {
    const { viewers, advance } = room(1);
    viewers.ask('viewer-a', '10.0.0.1');
    advance(29_999);
    expect(viewers.ask('viewer-b', '10.0.0.2')).toEqual({ ok: false, reason: 'full' });
    advance(1);
    expect(viewers.watching()).toBe(0);
    expect(viewers.streamTo('10.0.0.1')).toBe(false);
    expect(viewers.ask('viewer-b', '10.0.0.2')).toEqual({ ok: true });
    expect(viewers.streamTo('10.0.0.2')).toBe(true);
  });

  it('streams only to an address with a viewer, and fetching the stream keeps that viewer counted', () => {
    const { viewers, advance } = room(1);
    expect(viewers.streamTo('10.0.0.1')).toBe(false);
    viewers.ask('viewer-a', '10.0.0.1');
    for (let i = 0; i < 5; i++) {
      advance(20_000);
      expect(viewers.streamTo('10.0.0.1')).toBe(true);
      expect(viewers.streamTo('10.0.0.2')).toBe(false);
    }
    expect(viewers.ask('viewer-b', '10.0.0.2')).toEqual({ ok: false, reason: 'full' });
    advance(30_000);
    expect(viewers.streamTo('10.0.0.1')).toBe(false);
    expect(viewers.ask('viewer-b', '10.0.0.2')).toEqual({ ok: true });
  });

  it('a lower limit lets nobody new in but keeps those watching', () => {
    const { viewers, setMax } = room(3);
    viewers.ask('viewer-a', '10.0.0.1');
    viewers.ask('viewer-b', '10.0.0.2');
    setMax(1);
    expect(viewers.ask('viewer-a', '10.0.0.1')).toEqual({ ok: true });
    expect(viewers.ask('viewer-b', '10.0.0.2')).toEqual({ ok: true });
    expect(viewers.ask('viewer-c', '10.0.0.3')).toEqual({ ok: false, reason: 'full' });
  });

  it('limits requests per address in each window without touching other addresses', () => {
    const { viewers, advance } = room(10, 3);
    for (let i = 0; i < 3; i++) expect(viewers.ask(`flood-${i}`, '10.0.0.9').ok).toBe(true);
    expect(viewers.ask('flood-x', '10.0.0.9')).toEqual({ ok: false, reason: 'too_many_requests' });
    // Its own, already counted viewer is also held back from that address; another address is not.
    expect(viewers.ask('flood-0', '10.0.0.9')).toEqual({ ok: false, reason: 'too_many_requests' });
    expect(viewers.ask('viewer-a', '10.0.0.1')).toEqual({ ok: true });
    // Refused requests do not add viewers.
    expect(viewers.watching()).toBe(4);
    advance(10_000);
    expect(viewers.ask('flood-0', '10.0.0.9')).toEqual({ ok: true });
  });
});
