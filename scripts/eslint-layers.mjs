/**
 * The house's layers as an ESLint rule (`onair/layers`): every folder of `src` is a layer, and a
 * file may import from its own layer and from the layers its entry in `LAYERS` names — nothing
 * else. Imports are resolved as paths (not matched as strings), so `../media/x`, `../../core/media`
 * and `./media/x` from the core's root all land on the same layer. Packages are not checked here
 * (the Electron rule in eslint.config.js does that).
 */
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * Layer → the layers it may import. Order matters where folders nest: the first prefix that
 * matches names the layer (`src/main/core/media/…` before `src/main/core`).
 */
export const LAYERS = [
  // The contract: schemas, types, locales. Imports only libraries.
  { layer: 'shared', folder: 'src/shared', may: [] },
  // Electron-free core, bottom up.
  { layer: 'media', folder: 'src/main/core/media', may: ['shared'] },
  { layer: 'security', folder: 'src/main/core/security', may: ['shared'] },
  { layer: 'settings', folder: 'src/main/core/settings', may: ['shared'] },
  { layer: 'local-cloud', folder: 'src/main/core/local-cloud', may: ['shared', 'media'] },
  { layer: 'recording', folder: 'src/main/core/recording', may: ['shared', 'media', 'settings'] },
  { layer: 'destinations', folder: 'src/main/core/destinations', may: ['shared', 'media', 'settings'] },
  { layer: 'capture', folder: 'src/main/core/capture', may: ['shared', 'security'] },
  { layer: 'scenes', folder: 'src/main/core/scenes', may: ['shared', 'settings'] },
  // Guests: invites, guest state, the network guest server (serves only the guest page: security's static-file guard).
  { layer: 'guests', folder: 'src/main/core/guests', may: ['shared', 'settings', 'security'] },
  // The Twilio client switches its origin to the local cloud in Local mode.
  { layer: 'twilio', folder: 'src/main/core/twilio', may: ['shared', 'settings', 'local-cloud'] },
  { layer: 'broadcast', folder: 'src/main/core/broadcast', may: ['shared', 'settings', 'twilio'] },
  {
    layer: 'live',
    folder: 'src/main/core/live',
    may: ['shared', 'media', 'settings', 'local-cloud', 'twilio', 'broadcast', 'destinations', 'recording'],
  },
  // IPC handlers translate between the contract and the services.
  {
    layer: 'ipc',
    folder: 'src/main/core/ipc',
    may: ['shared', 'media', 'security', 'settings', 'local-cloud', 'recording', 'destinations', 'capture', 'scenes', 'guests', 'twilio', 'broadcast', 'live'],
  },
  // The composition root (studio-core.ts and its wiring): may use every service of the core.
  {
    layer: 'core',
    folder: 'src/main/core',
    may: ['shared', 'media', 'security', 'settings', 'local-cloud', 'recording', 'destinations', 'capture', 'scenes', 'guests', 'twilio', 'broadcast', 'live', 'ipc'],
  },
  // The transports over the same core.
  { layer: 'harness', folder: 'src/main/harness', may: ['shared', 'core', 'security', 'settings'] },
  { layer: 'shell', folder: 'src/main/shell', may: ['shared', 'core', 'security', 'settings', 'capture'] },
  { layer: 'main', folder: 'src/main', may: ['shared', 'core', 'security', 'shell'] },
  { layer: 'cli', folder: 'src/cli', may: ['shared', 'core', 'media', 'settings', 'local-cloud', 'twilio', 'destinations', 'live'] },
  { layer: 'preload', folder: 'src/preload', may: ['shared'] },
  { layer: 'renderer', folder: 'src/renderer', may: ['shared'] },
  // The guest page (a static bundle served by the guest server, hostable anywhere).
  { layer: 'guest', folder: 'src/guest', may: ['shared'] },
];

/** The layer of an absolute path under `root`, or null outside `src`. */
export function layerOf(path, root, layers = LAYERS) {
  const rel = relative(root, path).split(sep).join('/');
  return layers.find(({ folder }) => rel === folder || rel.startsWith(`${folder}/`)) ?? null;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'A file imports only from its own layer and the layers below it (scripts/eslint-layers.mjs).' },
    schema: [],
    messages: {
      wrongArrow: "The {{from}} layer may not import from {{to}} ('{{source}}'). {{from}} may import: {{may}}. See LAYERS in scripts/eslint-layers.mjs.",
    },
  },
  create(context) {
    const root = context.cwd;
    const filename = context.filename;
    const from = layerOf(filename, root);
    if (!from) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = layerOf(resolve(dirname(filename), source), root);
      if (!to || to.layer === from.layer || from.may.includes(to.layer)) return;
      context.report({ node, messageId: 'wrongArrow', data: { from: from.layer, to: to.layer, source, may: from.may.join(', ') || 'nothing' } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { meta: { name: 'onair' }, rules: { layers: rule } };
