#!/usr/bin/env node
// `onair` command: runs the built CLI (npm run build).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('onair: the CLI is not built yet. Run `npm run build` first.\n');
  process.exit(1);
}
await import(cli);
