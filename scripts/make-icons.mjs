#!/usr/bin/env node
// Makes every app icon from the one source image, build/icon.svg:
//   build/icon.png  (1024 x 1024, Linux and the source for the others)
//   build/icon.icns (macOS), build/icon.ico (Windows: PNG-compressed, up to 256 px)
// Rasterising the SVG needs `rsvg-convert` (Debian: librsvg2-bin). The results are committed, so
// packaging (CI, release) never needs it. Without rsvg-convert, `--from-png` rebuilds the .icns and
// .ico from the committed build/icon.png.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import png2icons from 'png2icons';

const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
const svg = join(buildDir, 'icon.svg');
const png = join(buildDir, 'icon.png');

if (!process.argv.includes('--from-png')) {
  try {
    execFileSync('rsvg-convert', ['--width', '1024', '--height', '1024', '--keep-aspect-ratio', '--output', png, svg], { stdio: 'inherit' });
  } catch (error) {
    console.error(`make-icons: could not rasterise ${svg} with rsvg-convert (apt-get install librsvg2-bin), or pass --from-png.`);
    console.error(String(error instanceof Error ? error.message : error));
    process.exit(1);
  }
}

const source = readFileSync(png);
// PNG signature, then IHDR width/height at bytes 16..24.
if (source.readUInt32BE(16) !== 1024 || source.readUInt32BE(20) !== 1024) {
  console.error(`make-icons: ${png} must be 1024 x 1024`);
  process.exit(1);
}

const icns = png2icons.createICNS(source, png2icons.BICUBIC, 0);
const ico = png2icons.createICO(source, png2icons.BICUBIC, 0, true, true);
if (!icns || !ico) {
  console.error('make-icons: png2icons could not convert build/icon.png');
  process.exit(1);
}
writeFileSync(join(buildDir, 'icon.icns'), icns);
writeFileSync(join(buildDir, 'icon.ico'), ico);
for (const name of ['icon.png', 'icon.icns', 'icon.ico']) {
  console.log(`build/${name}  ${readFileSync(join(buildDir, name)).length} bytes`);
}
