import { describe, expect, it } from 'vitest';
import { HLS_SEGMENT_SECONDS } from '../../src/shared/media';
import { outputPreset } from '../../src/shared/output';
import { h264Candidates } from '../../src/renderer/program/encoder/h264-config';
import { previewLegPlan, previewMimeType } from '../../src/renderer/program/encoder/preview-leg-config';
import { sparseKeyframes } from '../../src/main/core/media/feed/feed-codecs';

describe('the preview leg: size, rate and keyframes for each output preset', () => {
  it.each([
    ['720p', 30, 640, 360, 8],
    ['720p', 60, 640, 360, 16],
    ['1080p', 30, 640, 360, 8],
    ['1080p', 60, 640, 360, 16],
    ['480p', 30, 640, 360, 8],
  ] as const)('%s%i → %i×%i, a keyframe every %i frames', (resolution, fps, width, height, frames) => {
    const plan = previewLegPlan(outputPreset(resolution, fps, null));
    expect(plan.target).toMatchObject({ width, height, fps });
    expect(plan.keyframeSeconds * fps).toBeCloseTo(frames, 9);
    // Just over one HLS segment: every keyframe falls at or after a segment boundary, and the next
    // one less than two segments later.
    expect(plan.keyframeSeconds).toBeGreaterThan(HLS_SEGMENT_SECONDS);
    expect(plan.keyframeSeconds - 1 / fps).toBeLessThanOrEqual(HLS_SEGMENT_SECONDS);
  });

  it('keeps the program aspect and even sides, and never grows a smaller program', () => {
    const small = previewLegPlan({ width: 426, height: 240, fps: 30, videoKbps: 600 });
    expect(small.target).toMatchObject({ width: 426, height: 240, kbps: 600 });
    const tall = previewLegPlan({ width: 1080, height: 1920, fps: 30, videoKbps: 6000 });
    expect(tall.target.height).toBe(360);
    expect(tall.target.width).toBe(202);
    expect(tall.target.width % 2).toBe(0);
  });

  it('a modest bitrate: 1000 kbps at 30 fps, 2000 at 60, never above the program', () => {
    expect(previewLegPlan(outputPreset('720p', 30, null)).target.kbps).toBe(1000);
    expect(previewLegPlan(outputPreset('1080p', 60, null)).target.kbps).toBe(2000);
    expect(previewLegPlan(outputPreset('720p', 30, 800)).target.kbps).toBe(800);
  });

  it('asks for the same rung as the program, realtime, level 3.1 first for 360p60', () => {
    const plan = previewLegPlan(outputPreset('1080p', 60, null));
    for (const acceleration of ['hardware', 'software'] as const) {
      const [first] = h264Candidates(plan.target, acceleration);
      expect(first).toMatchObject({
        codec: 'avc1.42001f',
        width: 640,
        height: 360,
        framerate: 60,
        latencyMode: 'realtime',
        hardwareAcceleration: acceleration === 'hardware' ? 'prefer-hardware' : 'prefer-software',
      });
    }
  });

  it('its mime type says no sparse GOP, so the packager cuts each segment on a keyframe', () => {
    const mimeType = previewMimeType({ codec: 'avc1.42001f', width: 640, height: 360 });
    expect(mimeType).toBe('video/mp4;codecs=avc1.42001f,opus');
    expect(sparseKeyframes(mimeType, HLS_SEGMENT_SECONDS)).toBe(false);
  });
});
