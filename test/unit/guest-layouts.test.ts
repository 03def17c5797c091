import { describe, expect, it } from 'vitest';
import { guestLayoutItems, GUESTS_SCENE_ID } from '../../src/shared/guest-layouts';
import { defaultScenesDoc, scenesDocSchema } from '../../src/shared/scenes';
import { withGuestsScene } from '../../src/renderer/guests/guests-scene';
import { linkQuality, sampleOf, UNKNOWN_QUALITY } from '../../src/renderer/guests/link-quality';

const names = { scene: 'Guests', camera: 'Camera', guest: (slot: number) => `Guest ${slot + 1}` };
const people = (items: ReturnType<typeof guestLayoutItems>) => items.filter((item) => item.kind === 'camera' || item.kind === 'guest');

describe('guest layouts (1–5 people)', () => {
  it('side by side: equal columns, host first, then the guests by stage slot', () => {
    const items = people(guestLayoutItems('side_by_side', 1, names));
    expect(items.map((item) => (item.kind === 'guest' ? `guest${item.slot}` : item.kind))).toEqual(['camera', 'guest0']);
    const [host, guest] = items;
    expect(host!.rect.x).toBeLessThan(0.5);
    expect(guest!.rect.x).toBeGreaterThanOrEqual(0.5);
    expect(guest!.rect.x + guest!.rect.w).toBeLessThanOrEqual(1);
    expect(host!.rect.w).toBeCloseTo(guest!.rect.w);
  });

  it('grid: two columns for 3–4 people, a shorter last row centred; every cell inside the frame', () => {
    const four = people(guestLayoutItems('grid', 3, names));
    expect(new Set(four.map((item) => item.rect.x.toFixed(3))).size).toBe(2);
    const three = people(guestLayoutItems('grid', 2, names));
    expect(three[2]!.rect.x).toBeCloseTo(0.25 + 0.01);
    for (const count of [0, 1, 2, 3, 4]) {
      for (const item of people(guestLayoutItems('grid', count, names))) {
        expect(item.rect.x).toBeGreaterThanOrEqual(0);
        expect(item.rect.y).toBeGreaterThanOrEqual(0);
        expect(item.rect.x + item.rect.w).toBeLessThanOrEqual(1.0001);
        expect(item.rect.y + item.rect.h).toBeLessThanOrEqual(1.0001);
      }
    }
  });

  it('picture-in-picture: the host fills the frame, guests in small boxes at the bottom right, drawn above', () => {
    const items = people(guestLayoutItems('pip', 2, names));
    expect(items[0]!.rect).toEqual({ x: 0, y: 0, w: 1, h: 1 });
    for (const guest of items.slice(1)) {
      expect(guest.rect.w).toBeLessThan(0.3);
      expect(guest.rect.x).toBeGreaterThan(0.4);
      expect(guest.rect.y).toBeGreaterThan(0.6);
    }
  });

  it('caps at four guests', () => {
    expect(people(guestLayoutItems('grid', 9, names))).toHaveLength(5);
  });
});

describe('the Guests scene', () => {
  it('is created on the first guest on stage and put on air; later counts re-lay it; it stays a valid scenes document', () => {
    const base = defaultScenesDoc();
    expect(withGuestsScene(base, 'side_by_side', 1, names, { create: false, toProgram: false })).toBe(base);
    const first = withGuestsScene(base, 'side_by_side', 1, names, { create: true, toProgram: true });
    expect(first.programSceneId).toBe(GUESTS_SCENE_ID);
    expect(scenesDocSchema.safeParse(first).success).toBe(true);
    const two = withGuestsScene(first, 'grid', 2, names, { create: false, toProgram: false });
    expect(people(two.scenes.find((scene) => scene.id === GUESTS_SCENE_ID)!.items)).toHaveLength(3);
    expect(withGuestsScene(two, 'grid', 2, names, { create: false, toProgram: false })).toBe(two);
  });
});

describe('link quality', () => {
  const sample = (at: number, bytes: number, received: number, lost: number, rtt: number | null) => ({ at, bytesReceived: bytes, packetsReceived: received, packetsLost: lost, rttSeconds: rtt });
  it('is unknown from one sample, then green / amber / red from bitrate, loss and round trip', () => {
    expect(linkQuality(null, sample(1000, 0, 0, 0, null))).toEqual(UNKNOWN_QUALITY);
    expect(linkQuality(sample(0, 0, 0, 0, null), sample(1000, 250_000, 200, 0, 0.02))).toEqual({ grade: 'good', kbps: 2000, lossPercent: 0, rttMs: 20 });
    expect(linkQuality(sample(0, 0, 0, 0, null), sample(1000, 250_000, 194, 6, 0.02)).grade).toBe('fair');
    expect(linkQuality(sample(0, 0, 0, 0, null), sample(1000, 250_000, 200, 0, 0.25)).grade).toBe('fair');
    expect(linkQuality(sample(0, 0, 0, 0, null), sample(1000, 250_000, 180, 20, 0.02)).grade).toBe('poor');
    expect(linkQuality(sample(0, 0, 0, 0, null), sample(1000, 1000, 10, 0, 0.02)).grade).toBe('poor');
  });

  it('reads inbound RTP and the selected pair from a stats report', () => {
    const report = new Map<string, Record<string, unknown>>([
      ['a', { type: 'inbound-rtp', bytesReceived: 100, packetsReceived: 10, packetsLost: 1 }],
      ['b', { type: 'inbound-rtp', bytesReceived: 50, packetsReceived: 5, packetsLost: 0 }],
      ['c', { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.004 }],
      ['d', { type: 'outbound-rtp', bytesSent: 999 }],
    ]);
    expect(sampleOf(report as unknown as RTCStatsReport, 5)).toEqual({ at: 5, bytesReceived: 150, packetsReceived: 15, packetsLost: 1, rttSeconds: 0.004 });
  });
});

describe('ICE candidates kept on the shared network', () => {
  const host = (address: string) => `candidate:1 1 udp 2122260223 ${address} 50000 typ host generation 0`;
  it('offers only candidates on the shared address; over loopback, only loopback ones', async () => {
    const { candidateAllowed, candidateAddress } = await import('../../src/shared/ice-candidates');
    expect(candidateAddress(host('192.168.1.20'))).toBe('192.168.1.20');
    expect(candidateAddress('garbage')).toBeNull();
    expect(candidateAllowed(host('127.0.0.1'), '127.0.0.1')).toBe(true);
    expect(candidateAllowed(host('192.0.2.2'), '127.0.0.1')).toBe(false);
    expect(candidateAllowed(host('192.168.1.20'), '192.168.1.20')).toBe(true);
    expect(candidateAllowed(host('10.0.0.5'), '192.168.1.20')).toBe(false);
    expect(candidateAllowed(host('10.0.0.5'), null)).toBe(true);
    expect(candidateAllowed('garbage', '127.0.0.1')).toBe(false);
  });
});
