import { describe, expect, it } from 'vitest';
import { sparseKeyframes } from '../../src/main/core/media/feed/feed-codecs';
import { segmentArgs } from '../../src/main/core/media/hls/segment-args';

const args = (mimeType: string) => segmentArgs({ mimeType, segmentSeconds: 0.25, startNumber: 0, pattern: '/x/s%05d.ts' });

describe('segment cuts and the feed’s keyframe interval', () => {
  it('reads the gop=<ms> parameter of the feed’s mime type', () => {
    expect(sparseKeyframes('video/mp4;codecs=avc1.4d0028,opus;gop=2000', 0.25)).toBe(true);
    expect(sparseKeyframes('video/mp4;codecs=avc1.4d0028,opus; GOP=250', 0.25)).toBe(false);
    expect(sparseKeyframes('video/mp4;codecs=avc1.42E01F,opus', 0.25)).toBe(false);
  });

  it('cuts inside a GOP only for a feed whose keyframes are sparser than its segments', () => {
    expect(args('video/mp4;codecs=avc1.4d0028,opus;gop=2000')).toContain('-break_non_keyframes');
    // MediaRecorder's feed (keyframe every 250 ms) keeps segments that start on a keyframe.
    expect(args('video/mp4;codecs=avc1.42E01F,opus')).not.toContain('-break_non_keyframes');
    expect(args('video/webm;codecs=vp8,opus')).not.toContain('-break_non_keyframes');
    expect(args('video/mp4;codecs=avc1.4d0028,opus;gop=2000')).toContain('copy');
  });
});
