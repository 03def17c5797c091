import type { Player } from '@twilio/live-player-sdk';

const loads = new Map<string, Promise<typeof Player>>();

/**
 * The Twilio Live player's browser bundle, served by the page's own origin from `assetsPath`
 * (`<assetsPath>/twilio-live-player.min.js`, copied from the SDK at build time), loaded once as a
 * script (its CommonJS build expects Node's `global`). Used by the studio's preview player and
 * the network viewer page.
 */
export function loadLivePlayerSdk(assetsPath: string): Promise<typeof Player> {
  const src = new URL(`${assetsPath}/twilio-live-player.min.js`, location.href).href;
  let load = loads.get(src);
  if (load) return load;
  load = new Promise<typeof Player>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.onload = () => {
      const loaded = (window as unknown as { Twilio?: { Live?: { Player?: typeof Player } } }).Twilio?.Live?.Player;
      if (loaded) resolve(loaded);
      else reject(new Error('The Twilio Live player did not load.'));
    };
    script.onerror = () => {
      loads.delete(src);
      reject(new Error('The Twilio Live player could not be loaded.'));
    };
    document.head.append(script);
  });
  loads.set(src, load);
  return load;
}
