/**
 * Where the program's latency is spent: per-stage durations of the same frames, from the encoder's
 * worker to the destinations' ffmpeg, kept in small rolling windows and read as medians.
 *
 * **One clock.** Every mark is epoch milliseconds read as `performance.timeOrigin +
 * performance.now()` (`latencyNow()`), in the encoder's worker, on the page and in main alike:
 * each context's origin is the system's realtime clock (CLOCK_REALTIME) at its start, and the
 * monotonic clock runs from there, so marks taken in different processes of one machine compare
 * directly (the benchmarks' clock code is drawn with `Date.now()`, the same clock). A frame's
 * capture time is not on it: Chromium stamps a camera frame with the monotonic clock since boot
 * and a canvas frame with the time since its first frame, so the studio's first mark is the frame
 * reaching the encoder (the benchmark measures drawn → captured on its own).
 *
 * Cost: a mark is a number pushed into a ring of `LATENCY_WINDOW` values; a summary sorts one ring
 * (once a second in the worker, on request in main). Nothing is sent per frame for it: the worker's
 * figures ride on its health report, the page's send time on the `media.chunk` call it makes anyway.
 */
import { z } from 'zod';

/** Epoch ms on the one clock described above (sub-millisecond where the context allows). */
export const latencyNow = (): number => performance.timeOrigin + performance.now();

/** Durations kept per stage: 10 s of a 30 fps program (the benchmarks' windows), 5 s at 60 fps. */
export const LATENCY_WINDOW = 300;

export const latencySummarySchema = z.strictObject({
  medianMs: z.number(),
  p90Ms: z.number(),
  /** Durations in the window (0: nothing measured yet; the figures are then 0). */
  count: z.number().int(),
});
export type LatencySummary = z.infer<typeof latencySummarySchema>;

/**
 * The stages, in the order a frame passes them.
 * - `encode`: the frame reaches the encoder's worker → the VideoEncoder puts it out.
 * - `mux`: encoded → its fMP4 fragment is cut (the muxer closes a fragment when the next sample comes).
 * - `send`: the fragment is cut in the worker → the page puts it in a `media.chunk` call.
 * - `toMain`: that call leaves the page → main has it (IPC, or the harness's WebSocket).
 * - `toStage`: main has it → written to the shared stage's ffmpeg (framing, fan-out).
 * - `stage`: written to the stage → the stage's ffmpeg puts it out again (demux, AAC, fMP4 remux).
 * - `toOutputs`: out of the stage → handed to every destination's ffmpeg.
 */
export const LATENCY_STAGES = ['encode', 'mux', 'send', 'toMain', 'toStage', 'stage', 'toOutputs'] as const;
export type LatencyStage = (typeof LATENCY_STAGES)[number];
export const RENDERER_STAGES = ['encode', 'mux', 'send'] as const satisfies readonly LatencyStage[];
export const MAIN_STAGES = ['toMain', 'toStage', 'stage', 'toOutputs'] as const satisfies readonly LatencyStage[];

export const mainLatencySchema = z.strictObject({
  toMain: latencySummarySchema,
  toStage: latencySummarySchema,
  stage: latencySummarySchema,
  toOutputs: latencySummarySchema,
});
/** Main's stages of the program feed (`media.latency`). */
export type MainLatency = z.infer<typeof mainLatencySchema>;

export type RendererLatency = Record<(typeof RENDERER_STAGES)[number], LatencySummary>;

const EMPTY: LatencySummary = { medianMs: 0, p90Ms: 0, count: 0 };

/** One stage's last LATENCY_WINDOW durations (ms). */
export class LatencyWindow {
  private readonly values: number[] = [];
  private next = 0;

  constructor(private readonly size = LATENCY_WINDOW) {}

  add(ms: number): void {
    if (!Number.isFinite(ms)) return;
    const value = Math.max(0, ms);
    if (this.values.length < this.size) this.values.push(value);
    else this.values[this.next] = value;
    this.next = (this.next + 1) % this.size;
  }

  clear(): void {
    this.values.length = 0;
    this.next = 0;
  }

  summary(): LatencySummary {
    if (this.values.length === 0) return { ...EMPTY };
    const sorted = [...this.values].sort((a, b) => a - b);
    const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return { medianMs: round(at(0.5)), p90Ms: round(at(0.9)), count: sorted.length };
  }
}

/** Windows for a set of stages, summarised together. */
export function latencyWindows<S extends string>(stages: readonly S[]): { windows: Record<S, LatencyWindow>; summary: () => Record<S, LatencySummary> } {
  const windows = Object.fromEntries(stages.map((stage) => [stage, new LatencyWindow()])) as Record<S, LatencyWindow>;
  return { windows, summary: () => Object.fromEntries(stages.map((stage) => [stage, windows[stage].summary()])) as Record<S, LatencySummary> };
}
