// The one place that says which ffmpeg the installers bundle and where it comes from: the static
// builds published with the npm package ffmpeg-static, as its own install.js names them
// (test/packaging/ffmpeg-release.test.ts checks these URLs against that install.js).
//
// Each binary is pinned by the sha256 of the downloaded .gz asset. The values were cross-checked in
// several independent public build scripts that pin the same release; fetch-ffmpeg.mjs refuses any
// download that does not match. To move to a new release: change `version`/`releaseTag`, re-pin
// every asset (download it once, `sha256sum`), and run the packaging tests.

export const FFMPEG_STATIC = {
  package: 'ffmpeg-static',
  version: '5.3.0',
  /** `ffmpeg-static.binary-release-tag` in that version's package.json. */
  releaseTag: 'b6.1.1',
  downloads: 'https://github.com/eugeneware/ffmpeg-static/releases/download',
  executableBaseName: 'ffmpeg',
};

/** sha256 of `ffmpeg-<platform>-<arch>.gz` in release b6.1.1, by `<platform>-<arch>`. */
export const PINNED_SHA256 = {
  'darwin-x64': '929b375c1182d956c51f7ac25e0b2b0411fb01f6f407aa15c9758efeb4242106',
  'darwin-arm64': '8923876afa8db5585022d7860ec7e589af192f441c56793971276d450ed3bbfa',
  'win32-x64': '8883a3dffbd0a16cf4ef95206ea05283f78908dbfb118f73c83f4951dcc06d77',
  'linux-x64': 'bfe8a8fc511530457b528c48d77b5737527b504a3797a9bc4866aeca69c2dffa',
  'linux-arm64': '754a678672298bc68156adff58aa7385a592c2b30b1d0ae8750c45c915c4bac0',
};

/** Our --os names → Node's platform names, which the release assets use. */
export const PLATFORMS = { mac: 'darwin', win: 'win32', linux: 'linux' };

/**
 * The assets for one target. Windows on Arm gets the x64 build, which Windows 11 runs under
 * emulation (the release has no win32-arm64 build).
 */
export function ffmpegAssets(os, arch) {
  const platform = PLATFORMS[os];
  if (!platform || !['x64', 'arm64'].includes(arch)) throw new Error(`no ffmpeg build for --os ${os} --arch ${arch}`);
  const target = `${platform}-${os === 'win' ? 'x64' : arch}`;
  const base = `${FFMPEG_STATIC.downloads}/${FFMPEG_STATIC.releaseTag}`;
  return {
    target,
    binaryUrl: `${base}/${FFMPEG_STATIC.executableBaseName}-${target}.gz`,
    licenseUrl: `${base}/${target}.LICENSE`,
    sha256: PINNED_SHA256[target],
  };
}
