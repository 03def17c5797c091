import { Readable } from 'node:stream';
import { VIEWER_HLS_PREFIX } from '../../shared/guests';
import { StudioError } from '../../shared/errors';
import type { BroadcastService } from './broadcast/broadcast-service';
import type { ViewerHlsFile, ViewerSource } from './guests/viewer-routes';
import type { LocalCloud } from './local-cloud/index';
import type { SettingsService } from './settings/settings-service';

/** The local cloud's HLS path prefix, which the viewer's `/watch/hls/` stands for. */
const CLOUD_HLS = '/media/hls/';
/** A room full of viewers shares one token while it has this long left (the grant lives 60 s). */
const SHARE_TOKEN_WHILE_MS = 30_000;

/**
 * "Share the player on my network" (Local mode): the viewer page's playback token — the live
 * broadcast's PlaybackGrant with its `playbackUrl` moved from the local cloud (loopback, which a
 * phone cannot reach) to the guest server's `/watch/hls/` — and that HLS, fetched from the local
 * cloud on loopback for the live PlayerStreamer only.
 */
export function viewerSource(deps: { playerRoot: string; settings: Pick<SettingsService, 'read'>; broadcast: BroadcastService; localCloud: () => Promise<LocalCloud> }): ViewerSource {
  const liveStreamer = () => {
    const status = deps.broadcast.status();
    return deps.settings.read().mode === 'local' && status.state === 'live' ? status.playerStreamerSid : null;
  };
  let shared: { key: string; token: string; expiresAt: string } | null = null;
  return {
    playerRoot: deps.playerRoot,
    token: async (origin) => {
      const sid = liveStreamer();
      if (!sid) return null;
      const key = `${sid} ${origin}`;
      if (shared?.key === key && Date.parse(shared.expiresAt) - Date.now() > SHARE_TOKEN_WHILE_MS) return { token: shared.token, expiresAt: shared.expiresAt };
      try {
        const minted = await deps.broadcast.playbackToken({
          identity: 'network-viewer',
          playbackUrl: (url) => {
            const path = new URL(url).pathname;
            if (!path.startsWith(CLOUD_HLS)) throw new StudioError('broadcast.not_live', 'The broadcast has no local stream to share.');
            return `${origin}${VIEWER_HLS_PREFIX}${path.slice(CLOUD_HLS.length)}`;
          },
        });
        shared = { key, token: minted.token, expiresAt: minted.expiresAt };
        return { token: minted.token, expiresAt: minted.expiresAt };
      } catch (error) {
        if (error instanceof StudioError && error.code === 'broadcast.not_live') return null;
        throw error;
      }
    },
    hls: async (path): Promise<ViewerHlsFile | null> => {
      const sid = liveStreamer();
      if (!sid || !path.startsWith(`${sid}/`)) return null;
      const cloud = await deps.localCloud();
      const upstream = await fetch(`${cloud.origin}${CLOUD_HLS}${path}`, { redirect: 'error' });
      if (!upstream.ok || !upstream.body) {
        await upstream.body?.cancel();
        return null;
      }
      return {
        status: 200,
        contentType: upstream.headers.get('content-type') ?? 'application/octet-stream',
        cacheControl: upstream.headers.get('cache-control') ?? 'no-cache',
        body: Readable.fromWeb(upstream.body as Parameters<typeof Readable.fromWeb>[0]),
      };
    },
  };
}
