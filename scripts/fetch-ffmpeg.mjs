#!/usr/bin/env node
// Fetches a static ffmpeg build for one platform into build/ffmpeg/<os>-<arch>/, where
// electron-builder.yml's extraResources picks it up (resources/ffmpeg/ in the installed app).
// Used by .github/workflows/release.yml; needs the network (GitHub), so never runs in tests.
//
//   node scripts/fetch-ffmpeg.mjs --os mac --arch x64      (os: mac | win | linux; arch: x64 | arm64)
//
// Source: the static builds published with the npm package ffmpeg-static (GitHub release tag below),
// with their licence text. Windows on Arm gets the x64 build, which Windows 11 runs under emulation.
// Set FFMPEG_SHA256 to pin the exact binary.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';

const RELEASE = process.env.FFMPEG_STATIC_RELEASE ?? 'b6.0';
const BASE = `https://github.com/eugeneware/ffmpeg-static/releases/download/${RELEASE}`;

const { values } = parseArgs({ options: { os: { type: 'string' }, arch: { type: 'string' } } });
const os = values.os;
const arch = values.arch;
const platforms = { mac: 'darwin', win: 'win32', linux: 'linux' };
if (!(os in platforms) || !['x64', 'arm64'].includes(arch ?? '')) {
  console.error('usage: fetch-ffmpeg.mjs --os mac|win|linux --arch x64|arm64');
  process.exit(2);
}
const asset = `ffmpeg-${platforms[os]}-${os === 'win' ? 'x64' : arch}`;
const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'ffmpeg', `${os}-${arch}`);
const binaryName = os === 'win' ? 'ffmpeg.exe' : 'ffmpeg';

async function download(url) {
  const response = await fetch(url, { redirect: 'follow' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

const binary = gunzipSync(await download(`${BASE}/${asset}.gz`));
const magic = binary.subarray(0, 4).toString('hex');
const expected = { mac: ['cffaedfe', 'cafebabe'], win: ['4d5a'], linux: ['7f454c46'] }[os];
if (!expected.some((prefix) => magic.startsWith(prefix))) throw new Error(`${asset}: not a ${os} executable (magic ${magic})`);
const sha256 = createHash('sha256').update(binary).digest('hex');
if (process.env.FFMPEG_SHA256 && process.env.FFMPEG_SHA256 !== sha256) throw new Error(`${asset}: sha256 ${sha256} does not match FFMPEG_SHA256`);

mkdirSync(target, { recursive: true });
writeFileSync(join(target, binaryName), binary);
chmodSync(join(target, binaryName), 0o755);
writeFileSync(join(target, 'LICENSE.ffmpeg.txt'), await download(`${BASE}/${asset}.LICENSE`));
console.log(`${join('build', 'ffmpeg', `${os}-${arch}`, binaryName)}: ${asset} (${RELEASE}), ${binary.length} bytes, sha256 ${sha256}`);
