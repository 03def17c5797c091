/* global self, importScripts */
/**
 * The preview player's WASM worker, kept on this computer.
 *
 * The Twilio Live player (IVS player 1.7) runs in a worker whose engine, on every `video-play`,
 * sends `GET https://global.poe.live-video.net/` (its analytics "PoP" client; the URL is built
 * into the WASM, no option, grant field or playlist tag turns it off). Offline, or under the
 * studio's CSP, that fetch fails and the worker logs two console errors. The build serves this
 * script under the SDK's worker name (`player/twilio-live-player-wasmworker-1-7-0.min.js`) and
 * the SDK's own worker next to it as `player/ivs-wasmworker-1-7-0.min.js`.
 *
 * Before the vendor worker loads (it captures `self.fetch` at load), `fetch` is replaced by one
 * that sends only to the app's own origin and to loopback (the local cloud's HLS on 127.0.0.1);
 * any other request is not sent at all and is answered here with an empty 204, so the engine
 * carries on without an error. Counted in `self.onairHeldBack` (host → count) for diagnostics.
 */
(function guardWorkerFetch(scope) {
  'use strict';
  var send = scope.fetch.bind(scope);
  var LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/i;
  var heldBack = {};
  scope.onairHeldBack = heldBack;

  function target(input) {
    if (typeof input === 'string') return input;
    if (input && typeof input.href === 'string') return input.href; // URL
    return input && typeof input.url === 'string' ? input.url : String(input); // Request
  }

  function mayLeave(url) {
    if (url.origin === scope.location.origin) return true;
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK.test(url.hostname);
  }

  scope.fetch = function localOnlyFetch(input, init) {
    var url;
    try {
      url = new URL(target(input), scope.location.href);
    } catch {
      return send(input, init); // Not a URL: let fetch itself reject it.
    }
    if (url.protocol === 'blob:' || url.protocol === 'data:' || mayLeave(url)) return send(input, init);
    heldBack[url.host] = (heldBack[url.host] || 0) + 1;
    return Promise.resolve(new Response(null, { status: 204, statusText: 'Not sent: the preview player stays on this computer' }));
  };
})(self);

/**
 * The worker ends when its player is deleted. The SDK starts one worker per player (each
 * `Player.connect`) and, on `disconnect()` or a stream that ended, asks it to delete its player;
 * the worker answers `DESTROY` and then lives on, idle, with its WASM heap (~7-9 MB). The preview
 * reconnects when the stream ends while live or drifts behind, so a studio on air for an hour
 * gathered one dead worker per reconnect and the page's memory grew by ~30 MB a minute
 * (README "Soak benchmark"). Nothing else runs in this worker: after posting `DESTROY` it closes.
 * The message shape is the 1.7 worker's (`{ id, type, arg }`, `DESTROY` = 13); the build checks
 * the vendor file name, so a new SDK worker version is noticed.
 */
(function closeAfterDestroy(scope) {
  'use strict';
  var DESTROY = 13;
  var post = scope.postMessage.bind(scope);
  scope.postMessage = function postThenCloseIfDestroyed(message) {
    post.apply(scope, arguments);
    if (message && message.type === DESTROY) {
      scope.onairClosed = true;
      scope.close();
    }
  };
})(self);

importScripts('ivs-wasmworker-1-7-0.min.js');
