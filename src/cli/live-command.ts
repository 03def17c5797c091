import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { FfmpegFeedSource, type FeedInput } from '../main/core/media/feed/ffmpeg-feed-source';
import type { DestinationRuntime, DestinationsSnapshot } from '../shared/destinations';
import { StudioError } from '../shared/errors';
import en from '../shared/locales/en';
import { dataFolderCore, dataFolderOf } from './data-folder-core';

interface LiveOptions {
  input?: string;
  testPattern?: boolean;
  duration?: string;
  dataDir?: string;
  json?: boolean;
}

type Reasons = Record<string, string | undefined>;

/** A destination's state in words, as the studio's destination list says it (the English texts). */
function describe(name: string, runtime: DestinationRuntime): string {
  const reason = runtime.reason ? ((en.destinations.reason as Reasons)[runtime.reason] ?? runtime.reason) : null;
  const detail = runtime.state === 'failed' && runtime.reason ? ((en.errors.destination as Reasons)[runtime.reason] ?? '') : '';
  const parts = [`${name}: ${runtime.state}`];
  if (runtime.attempt && runtime.state !== 'live') parts.push(`attempt ${runtime.attempt}`);
  if (reason) parts.push(`(${reason})`);
  if (detail) parts.push(`— ${detail}`);
  return parts.join(' ');
}

/**
 * `onair live`: goes live headless to the enabled destinations of a data folder, through the same
 * live service and media plane as the app, in the foreground. The program is a test pattern or a
 * video file (encoded once by ffmpeg, H.264 with a 2 s GOP + AAC). Each destination's state is
 * printed as it changes; Ctrl-C (SIGINT/SIGTERM), `--duration` or the end of the file stop every
 * output cleanly.
 */
export function addLiveCommand(program: Command): void {
  program
    .command('live')
    .description('go live headless to the enabled destinations (a test pattern or a video file), until Ctrl-C')
    .option('--input <file>', 'a video file to stream (played once, at real time)')
    .option('--test-pattern', 'colour bars with a clock and a 440 Hz tone')
    .option('--duration <seconds>', 'stop after this long')
    .option('--data-dir <dir>', 'the data folder (ONAIR_DATA_DIR; the web studio’s folder)')
    .option('--json', 'one JSON object per line: each state change, then the summary')
    .action(async (options: LiveOptions) => {
      const input = feedInput(options);
      const durationMs = options.duration === undefined ? null : seconds(options.duration);
      const json = Boolean(options.json);
      const emit = (event: Record<string, unknown>, human: string) => process.stdout.write(`${json ? JSON.stringify(event) : human}\n`);

      const core = dataFolderCore(dataFolderOf(options.dataDir));
      const names = new Map(core.destinations.list().map((view) => [view.id, view.name]));
      const seen = new Map<string, string>();
      /** Destinations that failed during this run (the exit code says so). */
      const failedIds = new Set<string>();
      const onChange = (snapshot: DestinationsSnapshot) => {
        for (const [id, runtime] of Object.entries(snapshot.runtime)) {
          const key = `${runtime.state}/${runtime.reason ?? ''}/${runtime.attempt ?? ''}`;
          if (seen.get(id) === key || !names.has(id)) continue;
          seen.set(id, key);
          if (runtime.state === 'failed') failedIds.add(id);
          emit({ event: 'destination', id, name: names.get(id), state: runtime.state, reason: runtime.reason, attempt: runtime.attempt }, describe(names.get(id)!, runtime));
        }
        // Nothing is on air any more (every enabled destination failed and none retries on its own): stop.
        const enabled = snapshot.destinations.filter((d) => d.enabled);
        if (snapshot.live && enabled.length > 0 && enabled.every((d) => snapshot.runtime[d.id]?.state === 'failed')) void stop('every destination failed');
      };
      const offChange = core.events.connect((event, payload) => {
        if (event === 'destinations.changed') onChange(payload as DestinationsSnapshot);
      });

      let source: FfmpegFeedSource | null = null;
      let stopping: Promise<void> | null = null;
      const stop = (why: string) => {
        stopping ??= (async () => {
          emit({ event: 'stopping', why }, `Stopping (${why})…`);
          await source?.stop();
          await core.live.stop();
        })();
        return stopping;
      };
      const onSignal = (signal: NodeJS.Signals) => void stop(signal === 'SIGINT' ? 'Ctrl-C' : signal);
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let started = false;
      try {
        await core.live.goLive({ destinationsOnly: true });
        started = true;
        const ffmpegPath = await core.resolveFfmpeg();
        source = new FfmpegFeedSource({ feed: core.programFeed, ffmpegPath, input, preset: core.settings.outputPreset() });
        const enabled = core.destinations.list().filter((d) => d.enabled).map((d) => d.name);
        emit({ event: 'live', destinations: enabled }, `Live to ${enabled.join(', ')}. Ctrl-C stops.`);
        const timer = durationMs === null ? null : setTimeout(() => void stop(`${options.duration} s`), durationMs);
        // Stopped already (Ctrl-C, or every destination failed, while ffmpeg was being found): no program.
        const exit = stopping ? null : await source.start();
        if (timer) clearTimeout(timer);
        if (exit && !source.stopped) {
          if (exit.code !== 0 && exit.code !== null) throw new StudioError('media.ingest_failed', `ffmpeg could not make the program feed (exit ${exit.code}).`);
          await stop(input.kind === 'file' ? 'end of the file' : 'the program ended');
        }
        await stopping;
        const final = core.destinationRunner.snapshot();
        const summary = final.destinations.map((d) => ({ id: d.id, name: d.name, reconnects: final.runtime[d.id]?.health.reconnects ?? 0 }));
        emit({ event: 'stopped', destinations: summary }, 'Stopped: every destination ended its stream.');
        if (failedIds.size > 0) process.exitCode = 1;
      } catch (error) {
        if (started) await stop('error');
        throw error;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        offChange();
        await core.close();
      }
    });
}

function feedInput(options: LiveOptions): FeedInput {
  if (Boolean(options.input) === Boolean(options.testPattern)) {
    throw new StudioError('ipc.invalid_payload', 'Give one program: --input <file> or --test-pattern.');
  }
  if (options.input) {
    if (!existsSync(options.input)) throw new StudioError('ipc.invalid_payload', `There is no file at ${options.input}.`);
    return { kind: 'file', path: options.input };
  }
  return { kind: 'test-pattern' };
}

function seconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new StudioError('ipc.invalid_payload', `--duration must be a number of seconds above 0; got "${text}".`);
  return Math.round(value * 1000);
}
