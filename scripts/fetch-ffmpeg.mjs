#!/usr/bin/env node
// Fetches a static ffmpeg build for one platform into build/ffmpeg/<os>-<arch>/, where
// electron-builder.yml's extraResources picks it up (resources/ffmpeg/ in the installed app).
// Used by .github/workflows/release.yml; needs the network (GitHub), so the tests only run --dry-run.
//
//   node scripts/fetch-ffmpeg.mjs --os mac --arch x64 [--dry-run]   (os: mac | win | linux; arch: x64 | arm64)
//
// What is fetched, and each binary's pinned sha256, come from scripts/ffmpeg-release.mjs.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { FFMPEG_STATIC, ffmpegAssets } from './ffmpeg-release.mjs';

const { values } = parseArgs({ options: { os: { type: 'string' }, arch: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
let assets;
try {
  assets = ffmpegAssets(values.os, values.arch);
} catch (error) {
  console.error(`${error.message}\nusage: fetch-ffmpeg.mjs --os mac|win|linux --arch x64|arm64 [--dry-run]`);
  process.exit(2);
}
if (!assets.sha256) {
  console.error(`${assets.target}: no pinned sha256 in scripts/ffmpeg-release.mjs; refusing an unverified binary`);
  process.exit(1);
}
if (values['dry-run']) {
  console.log(JSON.stringify(assets));
  process.exit(0);
}

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'ffmpeg', `${values.os}-${values.arch}`);
const binaryName = values.os === 'win' ? 'ffmpeg.exe' : 'ffmpeg';

async function download(url) {
  const response = await fetch(url, { redirect: 'follow' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

const compressed = await download(assets.binaryUrl);
const sha256 = createHash('sha256').update(compressed).digest('hex');
if (sha256 !== assets.sha256) throw new Error(`${assets.binaryUrl}: sha256 ${sha256}, pinned ${assets.sha256}: refusing it`);
const binary = gunzipSync(compressed);
const magic = binary.subarray(0, 4).toString('hex');
const expected = { mac: ['cffaedfe', 'cafebabe'], win: ['4d5a'], linux: ['7f454c46'] }[values.os];
if (!expected.some((prefix) => magic.startsWith(prefix))) throw new Error(`${assets.target}: not a ${values.os} executable (magic ${magic})`);

mkdirSync(target, { recursive: true });
writeFileSync(join(target, binaryName), binary);
chmodSync(join(target, binaryName), 0o755);
writeFileSync(join(target, 'LICENSE.ffmpeg.txt'), await download(assets.licenseUrl));
console.log(`${join('build', 'ffmpeg', `${values.os}-${values.arch}`, binaryName)}: ${assets.target} (${FFMPEG_STATIC.releaseTag}), ${binary.length} bytes, .gz sha256 ${sha256} (pinned)`);
