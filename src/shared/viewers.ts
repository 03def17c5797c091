/**
 * "Share the player on my network": where the viewer page lives on the guest server, its token
 * endpoint and its HLS, and how the token endpoint knows one viewer from another. No zod here:
 * the viewer page imports this and stays small.
 */
/** Where the viewer page lives on the guest server ("Share the player on my network"), its token endpoint and its HLS. */
export const VIEWER_PATH = '/watch/';
export const VIEWER_TOKEN_PATH = '/watch/token';
export const VIEWER_HLS_PREFIX = '/watch/hls/';
/** The viewer page's own random id, sent with every token request (`/watch/token?viewer=<id>`): what counts as one viewer. */
export const VIEWER_ID_PARAM = 'viewer';
export const VIEWER_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
/** Why the token endpoint turned a viewer away (the viewer page shows each plainly). */
export const VIEWER_REFUSALS = ['full', 'too_many_requests', 'bad_request'] as const;
export type ViewerRefusal = (typeof VIEWER_REFUSALS)[number];

