import Conf from 'conf';
import { describe, expect, it } from 'vitest';
import { SessionKeyCipher } from '../../src/main/core/settings/session-key-cipher';
import { SettingsService } from '../../src/main/core/settings/settings-service';
import { settingsChecks } from '../../src/main/core/settings-checks';
import { NON_SYNC_SAMPLE_FLAGS, SYNC_SAMPLE_FLAGS, writeSyncFlags } from '../../src/renderer/program/encoder/fragments';
import { KeyframeSchedule } from '../../src/renderer/program/encoder/gop';
import { StudioError } from '../../src/shared/errors';
import { avcCodecsFor, avcProfileLevel, defaultVideoKbps, encoderLadder, outputPreset, programEncoderChoice } from '../../src/shared/output';
import { settingsPatchSchema } from '../../src/shared/settings';
import { scratchDir } from '../support/scratch';

/** Timestamps (µs) of the frames the schedule makes keyframes. */
function keyframesAt(timestamps: number[], fps = 30): number[] {
  const schedule = new KeyframeSchedule(2, fps);
  return timestamps.filter((t) => schedule.isKey(t));
}

describe('keyframe schedule (by timestamp, every 2 s)', () => {
  it('a steady 30 fps camera: a keyframe every 60 frames, on the 2 s grid', () => {
    const frames = Array.from({ length: 300 }, (_, i) => Math.round((i * 1_000_000) / 30));
    const keys = keyframesAt(frames);
    expect(keys.map((t) => frames.indexOf(t))).toEqual([0, 60, 120, 180, 240]);
  });

  it('counts time, not frames: at 25 fps delivered into a 30 fps preset the keyframes are still 2 s apart (every 50 frames)', () => {
    const frames = Array.from({ length: 200 }, (_, i) => 5_000 + i * 40_000);
    expect(keyframesAt(frames).map((t) => frames.indexOf(t))).toEqual([0, 50, 100, 150]);
  });

  it('jitter of a few ms does not move a keyframe by a frame, and the grid does not drift', () => {
    const jitter = [0, 4_000, -3_000, 2_500, -4_500];
    const frames = Array.from({ length: 610 }, (_, i) => Math.round((i * 1_000_000) / 30) + jitter[i % jitter.length]!);
    const keys = keyframesAt(frames).map((t) => frames.indexOf(t));
    expect(keys).toEqual([0, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600]);
  });

  it('after a gap (frames dropped for 3 s) the next frame is a keyframe and the grid starts again from it', () => {
    const before = Array.from({ length: 40 }, (_, i) => Math.round((i * 1_000_000) / 30));
    const after = Array.from({ length: 120 }, (_, i) => 4_300_000 + Math.round((i * 1_000_000) / 30));
    const keys = keyframesAt([...before, ...after]);
    expect(keys).toEqual([0, 4_300_000, 4_300_000 + Math.round((60 * 1_000_000) / 30)]);
  });

  it('60 fps: a keyframe every 120 frames; reset() makes the next frame a keyframe', () => {
    const frames = Array.from({ length: 250 }, (_, i) => Math.round((i * 1_000_000) / 60));
    const schedule = new KeyframeSchedule(2, 60);
    const keys = frames.filter((t) => schedule.isKey(t)).map((t) => frames.indexOf(t));
    expect(keys).toEqual([0, 120, 240]);
    schedule.reset();
    expect(schedule.isKey(frames.at(-1)! + 16_667)).toBe(true);
  });

  it('says which frame a keyframe is due in without counting it (a busy encoder keeps that one)', () => {
    const schedule = new KeyframeSchedule(2, 30);
    expect(schedule.due(0)).toBe(true);
    expect(schedule.isKey(0)).toBe(true);
    expect([schedule.due(1_000_000), schedule.due(1_966_667), schedule.due(1_990_000), schedule.due(2_000_000)]).toEqual([false, false, true, true]);
    // Asking does not move the grid: the frame at 2 s is still the keyframe.
    expect(schedule.isKey(1_000_000)).toBe(false);
    expect(schedule.isKey(2_000_000)).toBe(true);
    expect(schedule.due(2_033_333)).toBe(false);
  });
});

describe('output presets', () => {
  it('defaults: 1280×720 at 30 fps and 4500 kbps; every preset has its own bitrate', () => {
    expect(outputPreset('720p', 30, null)).toEqual({ resolution: '720p', width: 1280, height: 720, fps: 30, videoKbps: 4500 });
    expect(outputPreset('1080p', 60, null)).toMatchObject({ width: 1920, height: 1080, videoKbps: 9000 });
    expect(outputPreset('480p', 30, 1200)).toMatchObject({ width: 854, height: 480, videoKbps: 1200 });
    expect(defaultVideoKbps('720p', 60)).toBe(6000);
  });

  it('H.264 codec strings carry the level the size and rate need', () => {
    expect(avcCodecsFor({ width: 1280, height: 720, fps: 30 })[0]).toBe('avc1.42001f');
    expect(avcCodecsFor({ width: 854, height: 480, fps: 60 })[0]).toBe('avc1.42001f');
    expect(avcCodecsFor({ width: 1280, height: 720, fps: 60 })[0]).toBe('avc1.4d0028');
    expect(avcCodecsFor({ width: 1920, height: 1080, fps: 30 })[0]).toBe('avc1.640028');
    expect(avcCodecsFor({ width: 1920, height: 1080, fps: 60 })[0]).toBe('avc1.64002a');
  });

  it('the settings schema refuses what is not a preset, with a message key per field', () => {
    const bad = settingsPatchSchema.safeParse({ outputResolution: '4k', outputFps: 24, outputVideoKbps: 100, programEncoder: 'x264' });
    expect(bad.success).toBe(false);
    const messages = Object.fromEntries(bad.error!.issues.map((issue) => [issue.path.join('.'), issue.message]));
    expect(messages).toEqual({
      outputResolution: 'validation.outputResolution',
      outputFps: 'validation.outputFps',
      outputVideoKbps: 'validation.outputVideoKbps',
      programEncoder: 'validation.programEncoder',
    });
    expect(settingsPatchSchema.safeParse({ outputVideoKbps: 4500.5 }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ outputVideoKbps: Number.NaN }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ outputVideoKbps: 20_001 }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ outputResolution: '1080p', outputFps: 60, outputVideoKbps: null, programEncoder: 'mediarecorder' }).success).toBe(true);
  });

  it('SettingsService stores the presets, shows defaults first, and writes nothing for a bad bitrate', async () => {
    const store = new Conf<Record<string, unknown>>({ projectName: 'onair-test', cwd: scratchDir('output-settings'), configName: 'settings' });
    const service = new SettingsService(store, new SessionKeyCipher(), settingsChecks());
    expect(await service.view()).toMatchObject({ outputResolution: '720p', outputFps: 30, outputVideoKbps: null, programEncoder: 'auto' });
    await service.update({ outputResolution: '1080p', outputFps: 60, outputVideoKbps: 8000 });
    expect(await service.view()).toMatchObject({ outputResolution: '1080p', outputFps: 60, outputVideoKbps: 8000 });
    const refused = await service.update({ outputResolution: '480p', outputVideoKbps: 50 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StudioError);
    expect((refused as StudioError).details?.issues).toEqual([{ path: 'outputVideoKbps', messageKey: 'validation.outputVideoKbps' }]);
    expect(await service.view()).toMatchObject({ outputResolution: '1080p', outputVideoKbps: 8000 });
    await service.update({ outputVideoKbps: null, programEncoder: 'webcodecs-software' });
    expect(await service.view()).toMatchObject({ outputVideoKbps: null, programEncoder: 'webcodecs-software' });
    // A choice an older version stored (`webcodecs`, before hardware and software were told apart)
    // reads as `auto`, and the rest of what was stored stays.
    store.set('settings', { ...(store.get('settings') as object), programEncoder: 'webcodecs' });
    expect(await service.view()).toMatchObject({ programEncoder: 'auto', outputResolution: '1080p', outputFps: 60 });
  });

  it('the encoder ladder: auto tries hardware, software, MediaRecorder; a forced rung falls to MediaRecorder', () => {
    expect(encoderLadder('auto')).toEqual(['webcodecs-hardware', 'webcodecs-software', 'mediarecorder']);
    expect(encoderLadder('webcodecs-hardware')).toEqual(['webcodecs-hardware', 'mediarecorder']);
    expect(encoderLadder('webcodecs-software')).toEqual(['webcodecs-software', 'mediarecorder']);
    expect(encoderLadder('mediarecorder')).toEqual(['mediarecorder']);
    expect([programEncoderChoice('webcodecs'), programEncoderChoice('x264'), programEncoderChoice('mediarecorder')]).toEqual(['auto', 'auto', 'mediarecorder']);
  });

  it('names H.264 profiles and levels as a streamer reads them', () => {
    expect(['avc1.42001f', 'avc1.42e01f', 'avc1.4d0028', 'avc1.640028', 'avc1.64002a', 'vp8'].map(avcProfileLevel)).toEqual([
      'Baseline 3.1',
      'Constrained Baseline 3.1',
      'Main 4.0',
      'High 4.0',
      'High 4.2',
      null,
    ]);
  });
});

/** A moof with one traf for `trackId` whose trun has per-sample flags for `count` samples. */
function moofWithPerSampleFlags(trackId: number, count: number): Uint8Array {
  const trunBody = 4 + 4 + count * 8; // sample_count, data_offset, (size, flags) per sample
  const trun = 12 + trunBody;
  const tfhd = 16;
  const traf = 8 + tfhd + trun;
  const moof = 8 + traf;
  const view = new DataView(new ArrayBuffer(moof));
  const head = (at: number, size: number, type: string) => {
    view.setUint32(at, size);
    for (let i = 0; i < 4; i++) view.setUint8(at + 4 + i, type.charCodeAt(i));
  };
  head(0, moof, 'moof');
  head(8, traf, 'traf');
  head(16, tfhd, 'tfhd');
  view.setUint32(24, 0x020000);
  view.setUint32(28, trackId);
  head(32, trun, 'trun');
  view.setUint32(40, 0x000001 | 0x000200 | 0x000400);
  view.setUint32(44, count);
  for (let i = 0; i < count; i++) view.setUint32(52 + i * 8 + 4, SYNC_SAMPLE_FLAGS);
  return new Uint8Array(view.buffer);
}

describe('sync flags written into a fragment', () => {
  it('per-sample flags: each sample gets its own; another track is left alone', () => {
    const moof = moofWithPerSampleFlags(1, 3);
    expect(writeSyncFlags(moof, 1, (i) => i === 1)).toBe(3);
    const view = new DataView(moof.buffer);
    expect([0, 1, 2].map((i) => view.getUint32(52 + i * 8 + 4))).toEqual([NON_SYNC_SAMPLE_FLAGS, SYNC_SAMPLE_FLAGS, NON_SYNC_SAMPLE_FLAGS]);
    const other = moofWithPerSampleFlags(2, 2);
    expect(writeSyncFlags(other, 1, () => false)).toBe(0);
    expect(new DataView(other.buffer).getUint32(52 + 4)).toBe(SYNC_SAMPLE_FLAGS);
  });
});
