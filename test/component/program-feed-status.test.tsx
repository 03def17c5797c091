import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ProgramFeedStatus } from '../../src/renderer/program/ProgramFeedStatus';
import type { ProgramFeedState } from '../../src/renderer/program/use-program-feed';
import en from '../../src/shared/locales/en';
import ja from '../../src/shared/locales/ja';
import { setupTestI18n } from './support/fake-onair';

const SENDING: ProgramFeedState = {
  phase: 'sending',
  mimeType: 'video/mp4;codecs=avc1.42001f,opus;gop=2000',
  transcoding: false,
  backlogBytes: 0,
  behind: false,
  error: null,
  encoder: 'webcodecs-software',
  profileLevel: 'Baseline 3.1',
  audioCodec: 'Opus',
  fellBackFrom: null,
  load: { encodeFps: 30, skipped: 0, queue: 1, overloaded: false, programFps: 30, targetFps: 30, lagging: false },
  previewLeg: null,
  latency: null,
  framesOut: null,
};

afterEach(cleanup);

describe('what the studio says about its encoder (en, ja)', () => {
  it('exposes where the latency goes on this side (encode, mux, send) and the frames put out, for the benchmarks; nothing before the first report', async () => {
    await setupTestI18n('en');
    const latency = {
      encode: { medianMs: 17, p90Ms: 37, count: 300 },
      mux: { medianMs: 34, p90Ms: 40, count: 300 },
      send: { medianMs: 5, p90Ms: 9, count: 298 },
    };
    const { unmount } = render(<ProgramFeedStatus feed={{ ...SENDING, latency, framesOut: 912 }} />);
    const status = screen.getByTestId('program-feed');
    expect(JSON.parse(status.getAttribute('data-latency')!)).toEqual(latency);
    expect(status.getAttribute('data-frames-out')).toBe('912');
    unmount();
    render(<ProgramFeedStatus feed={SENDING} />);
    expect(screen.getByTestId('program-feed').hasAttribute('data-latency')).toBe(false);
    expect(screen.getByTestId('program-feed').hasAttribute('data-frames-out')).toBe(false);
  });

  it.each([
    ['en', en],
    ['ja', ja],
  ] as const)('which encoder runs, its profile and level, its audio codec and its rate; no note when it is the one asked for (%s)', async (language, texts) => {
    await setupTestI18n(language);
    const { unmount } = render(<ProgramFeedStatus feed={{ ...SENDING, encoder: 'webcodecs-hardware', audioCodec: 'AAC' }} />);
    expect(screen.getByTestId('program-feed-encoder').textContent).toBe(
      `${texts.output.running['webcodecs-hardware']} · Baseline 3.1 · AAC · ${texts.output.encodeRate.replace('{{fps}}', '30')}`,
    );
    unmount();
    render(<ProgramFeedStatus feed={{ ...SENDING, encoder: 'webcodecs-hardware' }} />);
    expect(screen.getByTestId('program-feed-encoder').textContent).toBe(
      `${texts.output.running['webcodecs-hardware']} · Baseline 3.1 · Opus · ${texts.output.encodeRate.replace('{{fps}}', '30')}`,
    );
    expect(screen.queryByTestId('program-feed-fallback')).toBeNull();
    expect(screen.queryByTestId('program-feed-overloaded')).toBeNull();
  });

  it.each([
    ['en', en],
    ['ja', ja],
  ] as const)('hardware refused → software, and WebCodecs missing → MediaRecorder, each said plainly (%s)', async (language, texts) => {
    await setupTestI18n(language);
    const { unmount } = render(<ProgramFeedStatus feed={{ ...SENDING, fellBackFrom: 'webcodecs-hardware' }} />);
    expect(screen.getByTestId('program-feed-fallback').textContent).toBe(texts.output.hardwareRefusedNote);
    expect(screen.getByTestId('program-feed-fallback').getAttribute('data-from')).toBe('webcodecs-hardware');
    unmount();
    render(
      <ProgramFeedStatus
        feed={{ ...SENDING, mimeType: 'video/mp4;codecs=avc1,opus', encoder: 'mediarecorder', profileLevel: null, audioCodec: null, load: null, fellBackFrom: 'webcodecs-hardware' }}
      />,
    );
    expect(screen.getByTestId('program-feed-fallback').textContent).toBe(texts.output.fallbackNote);
    expect(screen.getByTestId('program-feed-encoder').textContent).toBe(texts.output.running.mediarecorder);
  });

  it.each([
    ['en', en],
    ['ja', ja],
  ] as const)('an overloaded encoder: how many frames were skipped and what to do (%s)', async (language, texts) => {
    await setupTestI18n(language);
    render(<ProgramFeedStatus feed={{ ...SENDING, load: { encodeFps: 41, skipped: 95, queue: 3, overloaded: true, programFps: 41, targetFps: 60, lagging: true } }} />);
    const warning = screen.getByTestId('program-feed-overloaded');
    expect(warning.textContent).toBe(texts.output.overloaded.replace('{{skipped}}', '95').replace('{{hardware}}', texts.output.overloadedHardwareHint));
    expect(screen.getByTestId('program-feed').getAttribute('data-overloaded')).toBe('true');
    // The encoder's warning says it all: no second warning about the program's rate.
    expect(screen.queryByTestId('program-feed-lagging')).toBeNull();
  });

  it.each([
    ['en', en],
    ['ja', ja],
  ] as const)('a program drawn too slowly (the encoder keeps up, repeating pictures): its real rate and what to do (%s)', async (language, texts) => {
    await setupTestI18n(language);
    render(<ProgramFeedStatus feed={{ ...SENDING, load: { encodeFps: 60, skipped: 0, queue: 0, overloaded: false, programFps: 22.6, targetFps: 60, lagging: true } }} />);
    const warning = screen.getByTestId('program-feed-lagging');
    expect(warning.textContent).toBe(texts.output.lagging.replace('{{programFps}}', '23').replace('{{fps}}', '60'));
    expect(screen.getByTestId('program-feed').getAttribute('data-lagging')).toBe('true');
    expect(screen.queryByTestId('program-feed-overloaded')).toBeNull();
  });

  it.each([
    ['en', en],
    ['ja', ja],
  ] as const)('the preview leg, while it runs: its size, rate, keyframe interval and bitrate (%s)', async (language, texts) => {
    await setupTestI18n(language);
    const { rerender } = render(<ProgramFeedStatus feed={SENDING} />);
    expect(screen.queryByTestId('program-feed-preview-leg')).toBeNull();
    rerender(<ProgramFeedStatus feed={{ ...SENDING, previewLeg: { width: 640, height: 360, fps: 30, keyframeMs: 267, kbps: 1000 } }} />);
    const expected = Object.entries({ width: 640, height: 360, fps: 30, keyframeMs: 267, kbps: 1000 }).reduce(
      (text, [key, value]) => text.replace(`{{${key}}}`, String(value)),
      texts.output.previewLeg,
    );
    expect(screen.getByTestId('program-feed-preview-leg').textContent).toBe(expected);
  });
});
