import { describe, expect, it } from 'vitest';
import { aacAudio, destinationReady, sparseKeyframes } from '../../src/main/core/media/feed/feed-codecs';
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

describe('a feed with AAC already (WebCodecs on Windows and macOS)', () => {
  it('is told by its mime type, and goes to the destinations as it is only with platform-grade H.264 too', () => {
    expect(aacAudio('video/mp4;codecs=avc1.4d0028,mp4a.40.2;gop=2000')).toBe(true);
    expect(aacAudio('video/mp4;codecs=avc1.4d0028,opus;gop=2000')).toBe(false);
    expect(aacAudio('video/mp4;codecs=avc1.4d0028')).toBe(false);
    expect(aacAudio('video/mp4')).toBe(false);
    expect(destinationReady('video/mp4;codecs=avc1.4d0028,mp4a.40.2;gop=2000')).toBe(true);
    // MediaRecorder's AAC (Electron on Windows) keeps a keyframe every 250 ms: the stage re-encodes its video.
    expect(destinationReady('video/mp4;codecs=avc1.42E01F,mp4a.40.2')).toBe(false);
    expect(destinationReady('video/mp4;codecs=avc1.4d0028,opus;gop=2000')).toBe(false);
  });

  it('the preview packager copies its audio; an Opus feed still gets the fast AAC encoder', () => {
    const aac = args('video/mp4;codecs=avc1.4d0028,mp4a.40.2;gop=2000');
    expect(aac.slice(aac.indexOf('-c:a'), aac.indexOf('-c:a') + 2)).toEqual(['-c:a', 'copy']);
    expect(aac).not.toContain('-aac_coder');
    const opus = args('video/mp4;codecs=avc1.4d0028,opus;gop=2000');
    expect(opus.slice(opus.indexOf('-c:a'), opus.indexOf('-c:a') + 4)).toEqual(['-c:a', 'aac', '-aac_coder', 'fast']);
  });
});
