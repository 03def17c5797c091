import HLS from 'hls-parser';
import { describe, expect, it } from 'vitest';
import { renderPlaylist, type Segment, segmentName } from '../../src/main/core/media/hls/playlist';

const segments = (count: number): Segment[] =>
  Array.from({ length: count }, (_, sequence) => ({ name: segmentName(sequence), sequence, duration: 0.25, discontinuity: sequence === 12 }));

const parse = (text: string) => HLS.parse(text) as InstanceType<typeof HLS.types.MediaPlaylist>;

describe('the live HLS playlist when the broadcast ends', () => {
  it('keeps the live window and only adds ENDLIST: the media sequence never goes back, pruned segments never come back', () => {
    const all = segments(20);
    const live = parse(renderPlaylist({ segments: all.slice(0, 19), writing: { name: segmentName(19), discontinuity: false }, ended: false, window: 6, targetSeconds: 0.25 }));
    const ended = parse(renderPlaylist({ segments: all, writing: null, ended: true, window: 6, targetSeconds: 0.25 }));

    expect(live.mediaSequenceBase).toBe(13);
    expect(live.prefetchSegments.map((s) => s.uri)).toEqual(['s00019.ts']);
    expect(ended.endlist).toBe(true);
    expect(ended.prefetchSegments).toEqual([]);
    expect(ended.mediaSequenceBase).toBe(14);
    expect(ended.mediaSequenceBase).toBeGreaterThanOrEqual(live.mediaSequenceBase ?? 0);
    expect(ended.segments.map((s) => s.uri)).toEqual(['s00014.ts', 's00015.ts', 's00016.ts', 's00017.ts', 's00018.ts', 's00019.ts']);
    // The discontinuity at segment 12 has left the window: counted in the base.
    expect(ended.discontinuitySequenceBase).toBe(1);
  });
});
