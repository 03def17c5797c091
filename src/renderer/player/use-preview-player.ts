import type { Player } from '@twilio/live-player-sdk';
import { type RefObject, useEffect, useRef, useState } from 'react';
import { loadLivePlayerSdk } from '../../shared/live-player-sdk';
import { unwrap } from '../ipc/client';

export type PreviewState = 'idle' | 'connecting' | 'buffering' | 'playing' | 'ended' | 'error';

export interface PreviewPlayerState {
  state: PreviewState;
  /** How far playback is behind where it would be had it never stalled, in seconds. */
  behindSeconds: number;
  /** Reconnects made during this broadcast (ended while live, or drifted behind). */
  reconnects: number;
  /** Why the last reconnect happened (`error`, `ended`, `drift`), for the status line and diagnostics. */
  reconnectReason: 'error' | 'ended' | 'drift' | null;
  error: string | null;
}

export interface PreviewPlayerOptions {
  /** The broadcast is live: connect (and stay connected). */
  live: boolean;
  video: RefObject<HTMLVideoElement | null>;
  /** Called with true at the first decoded frame of each connection, false while waiting. */
  onFirstFrame?: (arrived: boolean) => void;
  /** Drift policy: reconnect when more than `maxBehindSeconds` behind for `behindForMs`. */
  maxBehindSeconds?: number;
  behindForMs?: number;
}

/** Where the app serves the player's WASM worker (copied from the SDK's dist/build at build time). */
export const PLAYER_ASSETS_PATH = 'player';
const TOKEN_RENEW_MARGIN_MS = 15_000;
const RECONNECT_DELAY_MS = 500;
const ENDED_GRACE_MS = 6_000;

type Token = { token: string; expiresAt: string };

/** The SDK's error event (`Player.Event.Error`). */
const PLAYER_ERROR = 'error' as Player.Event.Error;

/**
 * Stops a player; one that ended by itself has already released everything (disconnecting again throws).
 * The SDK's emitter throws an `error` event nobody listens to, and a released player can still report
 * one (its vendor player's "no source" after the disconnect: an uncaught page error, seen once in a soak
 * hour at a preview reconnect), so a released player keeps a listener that ignores it.
 */
export function release(player: Player): void {
  player.removeAllListeners();
  player.on(PLAYER_ERROR, () => {});
  if (player.state === ('ended' as Player.State.Ended)) return;
  try {
    player.disconnect();
  } catch {
    // Already released.
  }
}

/** The SDK's browser bundle, served by the app (`player/twilio-live-player.min.js`), loaded once. */
export const loadPlayerSdk = (): Promise<typeof Player> => loadLivePlayerSdk(PLAYER_ASSETS_PATH);

/**
 * The preview player: `@twilio/live-player-sdk` on the broadcast's PlaybackGrant.
 * Keeps a fresh playback token (renewed before it expires), reconnects when the stream ends
 * while the broadcast is still live or when playback drifts too far behind the live edge
 * (the SDK does not catch up on non-IVS streams: `liveLatency` is 0 there).
 */
export function usePreviewPlayer({ live, video, onFirstFrame, maxBehindSeconds = 2, behindForMs = 5_000 }: PreviewPlayerOptions): PreviewPlayerState {
  const [state, setState] = useState<PreviewPlayerState>({ state: 'idle', behindSeconds: 0, reconnects: 0, reconnectReason: null, error: null });
  const firstFrame = useRef(onFirstFrame);
  useEffect(() => {
    firstFrame.current = onFirstFrame;
  });

  useEffect(() => {
    const element = video.current;
    if (!live || !element) return;
    let stopped = false;
    let player: Player | null = null;
    let token: Token | null = null;
    let tokenTimer: ReturnType<typeof setTimeout> | undefined;
    let driftTimer: ReturnType<typeof setInterval> | undefined;
    let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
    let reconnects = 0;
    const update = (patch: Partial<PreviewPlayerState>) => {
      if (!stopped) setState((current) => ({ ...current, ...patch }));
    };

    const renewToken = async (): Promise<Token> => {
      const fresh = await unwrap(() => window.onair.tokens.playback());
      token = fresh;
      clearTimeout(tokenTimer);
      const renewIn = Math.max(1_000, Date.parse(fresh.expiresAt) - Date.now() - TOKEN_RENEW_MARGIN_MS);
      tokenTimer = setTimeout(() => void renewToken().catch(() => {}), renewIn);
      return fresh;
    };
    const validToken = async (): Promise<Token> =>
      token && Date.parse(token.expiresAt) - Date.now() > 5_000 ? token : renewToken();

    const connect = async () => {
      update({ state: 'connecting', behindSeconds: 0, error: null });
      firstFrame.current?.(false);
      try {
        const [Sdk, { token: jwt }] = await Promise.all([loadPlayerSdk(), validToken()]);
        if (stopped) return;
        Sdk.setLogLevel(Sdk.LogLevel.Error);
        const assets = new URL(`${PLAYER_ASSETS_PATH}/`, location.href).href.replace(/\/$/, '');
        const connected = await Sdk.connect(jwt, { playerWasmAssetsPath: assets });
        if (stopped) {
          release(connected);
          return;
        }
        player = connected;
        watch(connected, Sdk);
      } catch (error) {
        update({ state: 'error', error: (error as Error).message ?? String(error) });
        scheduleReconnect(2_000, 'error');
      }
    };

    const watch = (current: Player, Sdk: typeof Player) => {
      element.muted = true;
      current.attach(element);
      current.isMuted = true;
      let anchor: { wall: number; media: number } | null = null;
      let behindSince: number | null = null;
      let sawFirstFrame = false;
      let playing = false;
      // Drift is counted from steady playback on: the start-up buffering after the first frame
      // is not "falling behind", and counting it made the player reconnect right after it began.
      const startDriftClock = () => {
        if (!anchor && sawFirstFrame && playing) anchor = { wall: performance.now(), media: element.currentTime };
      };
      const onState = (next: Player.State) => {
        if (next === Sdk.State.Ready) current.play();
        if (next === Sdk.State.Buffering) update({ state: 'buffering' });
        if (next === Sdk.State.Playing) {
          update({ state: 'playing' });
          playing = true;
          startDriftClock();
        }
        if (next === Sdk.State.Ended) {
          update({ state: 'ended' });
          if (!stopped) scheduleReconnect(RECONNECT_DELAY_MS, 'ended'); // ended while still live
        }
      };
      current.on(Sdk.Event.StateChanged, onState);
      current.on(Sdk.Event.Error, (error: Player.Error) => update({ error: error.message }));
      // The first decoded frame of this connection.
      const frame = () => {
        if (player !== current || stopped) return;
        if (element.videoWidth > 0) {
          sawFirstFrame = true;
          startDriftClock();
          firstFrame.current?.(true);
        } else element.requestVideoFrameCallback(frame);
      };
      element.requestVideoFrameCallback(frame);
      // Drift: media time lost to stalls since steady playback began (the stream is real time).
      clearInterval(driftTimer);
      driftTimer = setInterval(() => {
        if (player !== current || !anchor) return;
        const behind = Math.max(0, (performance.now() - anchor.wall) / 1000 - (element.currentTime - anchor.media));
        update({ behindSeconds: Math.round(behind * 10) / 10 });
        if (behind > maxBehindSeconds) {
          behindSince ??= performance.now();
          if (performance.now() - behindSince >= behindForMs) scheduleReconnect(0, 'drift');
        } else behindSince = null;
      }, 500);
    };

    const scheduleReconnect = (delay: number, reason: 'error' | 'ended' | 'drift') => {
      clearTimeout(reconnectTimer);
      clearInterval(driftTimer);
      reconnectTimer = setTimeout(() => {
        if (stopped) return;
        const old = player;
        player = null;
        if (old) release(old);
        reconnects += 1;
        update({ reconnects, reconnectReason: reason });
        void connect();
      }, delay);
    };

    void connect();
    return () => {
      stopped = true;
      clearTimeout(tokenTimer);
      clearTimeout(reconnectTimer);
      clearInterval(driftTimer);
      const last = player;
      if (!last) {
        setState((current) => ({ ...current, state: 'ended' }));
        return;
      }
      // Not live any more: the playlist gets #EXT-X-ENDLIST and the player ends by itself;
      // if it does not within a few seconds, end it here.
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        release(last);
        setState((current) => ({ ...current, state: 'ended' }));
      };
      last.removeAllListeners();
      last.on('stateChanged' as Player.Event.StateChanged, (next: Player.State) => {
        if (next === ('ended' as Player.State.Ended)) settle();
      });
      setTimeout(settle, ENDED_GRACE_MS);
    };
  }, [live, video, maxBehindSeconds, behindForMs]);

  return state;
}
