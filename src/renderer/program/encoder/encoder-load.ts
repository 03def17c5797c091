import type { EncoderHealth } from './webcodecs-encoder';

/** The encoder's load over the last few seconds, as the studio shows it. */
export interface EncoderLoad {
  /** Frames encoded per second (repeats of a late program frame included: what the destinations get). */
  encodeFps: number;
  /** Frames skipped in the window because the encoder was behind. */
  skipped: number;
  /** Frames waiting in the encoder at the last report. */
  queue: number;
  /** More than OVERLOAD_SHARE of the window's frames were skipped: the studio warns. */
  overloaded: boolean;
  /**
   * New pictures the program delivered per second (encoded frames less the repeats of a late one):
   * what viewers see move. Below the preset's rate the compositor (or the page) is behind, not the encoder.
   */
  programFps: number;
  /** The preset's frame rate the window is judged against. */
  targetFps: number;
  /** The program delivered fewer than LAG_SHARE of the preset's frames: the studio warns (a slide show otherwise). */
  lagging: boolean;
}

/** Reports kept: the window is their span (the worker reports every second). */
export const LOAD_WINDOW = 6;
/** Share of the expected frames skipped in the window beyond which the encoder counts as overloaded. */
export const OVERLOAD_SHARE = 0.05;
/** Share of the preset's rate in new pictures below which the program counts as lagging. */
export const LAG_SHARE = 0.9;

/** The window after one more report (oldest first, at most LOAD_WINDOW reports). */
export function withReport(window: readonly EncoderHealth[], report: EncoderHealth): EncoderHealth[] {
  return [...window, report].slice(-LOAD_WINDOW);
}

/**
 * The load over `window` at `fps`: null until two reports span a second. Encoded frames are
 * counted by the encoder's own reports, so a page that was slow to get them (a busy machine)
 * does not read as a slow encoder.
 */
export function encoderLoad(window: readonly EncoderHealth[], fps: number, everyMs: number): EncoderLoad | null {
  if (window.length < 2) return null;
  const first = window[0]!;
  const last = window.at(-1)!;
  const seconds = ((window.length - 1) * everyMs) / 1000;
  const encoded = last.framesEncoded - first.framesEncoded;
  const skipped = last.framesDropped - first.framesDropped;
  const pictures = encoded - (last.framesRepeated - first.framesRepeated);
  return {
    encodeFps: Math.round((encoded / seconds) * 10) / 10,
    skipped,
    queue: last.queue,
    overloaded: skipped > fps * seconds * OVERLOAD_SHARE,
    programFps: Math.round((pictures / seconds) * 10) / 10,
    targetFps: fps,
    lagging: pictures < fps * seconds * LAG_SHARE,
  };
}
