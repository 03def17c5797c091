/* global document, window, AudioContext, MediaStream, MediaStreamTrackProcessor, OffscreenCanvas */
/**
 * The timestamp-coded camera the benchmarks use (not a test): a canvas that shows the wall clock
 * (`Date.now()`, ms) as a 48-bit black/white code, 16 cells per row over the top three rows of
 * 80×80 px cells, drawn 60×/s and captured at 30 fps. The page decodes it from a presented frame
 * (`window.__decode`), Node from raw frames ffmpeg pulled from an ingest (`decodeClockCells`).
 * Both read the same clock: the browser and Node run on one machine (CLOCK_REALTIME).
 */

/** Where the code is on the 1280×720 canvas. */
export const CLOCK_CODE = Object.freeze({ width: 1280, height: 720, bits: 48, cols: 16 });

const rowsOf = (code) => code.bits / code.cols;
const cellOf = (code) => code.width / code.cols;

/**
 * Runs in the page before the app (`context.addInitScript(installCodedCamera, CLOCK_CODE)`):
 * `getUserMedia` answers the coded canvas (video) and a quiet tone (audio). Counts frames drawn
 * and captured in `window.__stages` (other scripts may add their own counters there) and puts the
 * decoder on `window.__decode(videoOrCanvas)`. Self-contained: Playwright serialises it.
 */
export function installCodedCamera(code) {
  const W = code.width;
  const H = code.height;
  const BITS = code.bits;
  const COLS = code.cols;
  const ROWS = BITS / COLS;
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d');
  const cell = W / COLS;
  const stages = window.__stages ?? {};
  Object.assign(stages, { drawn: 0, captured: 0 });
  window.__stages = stages;
  const draw = () => {
    const now = Date.now();
    ctx.fillStyle = '#404040';
    ctx.fillRect(0, 0, W, H);
    for (let bit = 0; bit < BITS; bit++) {
      const on = Math.floor(now / 2 ** bit) % 2 === 1;
      ctx.fillStyle = on ? '#fff' : '#000';
      ctx.fillRect((bit % COLS) * cell, Math.floor(bit / COLS) * cell, cell, cell);
    }
    ctx.fillStyle = '#fff';
    ctx.font = '64px sans-serif';
    ctx.fillText(String(now), 40, H - 60);
    stages.drawn += 1;
  };
  draw();
  setInterval(draw, 1000 / 60);
  let video = null;
  const audio = () => {
    const context = new AudioContext();
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    gain.gain.value = 0.05;
    const destination = context.createMediaStreamDestination();
    oscillator.connect(gain).connect(destination);
    oscillator.start();
    return destination.stream;
  };
  // Frames the capture delivers: read from a clone of the canvas track (each frame closed at once).
  const countCaptured = (track) => {
    if (typeof MediaStreamTrackProcessor === 'undefined') return;
    const reader = new MediaStreamTrackProcessor({ track: track.clone() }).readable.getReader();
    const pump = () =>
      reader.read().then(({ value, done }) => {
        if (done) return;
        stages.captured += 1;
        value.close();
        pump();
      });
    pump();
  };
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    if (constraints.video) {
      if (!video) {
        video = canvas.captureStream(30);
        countCaptured(video.getVideoTracks()[0]);
      }
      return new MediaStream(video.getVideoTracks().map((t) => t.clone()));
    }
    return audio();
  };

  // Decodes the clock code from a presented frame: the code's cells scaled down to one pixel each
  // (a 16×3 image, one read) — cheap enough not to steal the page's time from the capture.
  const sample = document.createElement('canvas');
  sample.width = COLS;
  sample.height = ROWS;
  const c = sample.getContext('2d', { willReadFrequently: true });
  window.__decode = (frame) => {
    const sx = frame.videoWidth / W;
    const sy = frame.videoHeight / H;
    c.drawImage(frame, 0, 0, W * sx, ROWS * cell * sy, 0, 0, COLS, ROWS);
    const data = c.getImageData(0, 0, COLS, ROWS).data;
    let value = 0;
    for (let bit = 0; bit < BITS; bit++) {
      const i = bit * 4;
      if ((data[i] + data[i + 1] + data[i + 2]) / 3 > 128) value += 2 ** bit;
    }
    return value;
  };
}

/**
 * ffmpeg video filter that turns each decoded frame into the code's cells, one gray byte per cell
 * (`cols × rows` bytes per frame on a rawvideo pipe), whatever the frame's size: the top
 * `rows × cell / height` of the picture, area-averaged down to one pixel per cell.
 */
export function clockCellsFilter(code = CLOCK_CODE) {
  const rows = rowsOf(code);
  return `crop=iw:ih*${rows * cellOf(code)}/${code.height}:0:0,scale=${code.cols}:${rows}:flags=area,format=gray`;
}

/** Bytes per frame out of `clockCellsFilter`. */
export const clockCellsBytes = (code = CLOCK_CODE) => code.bits;

/** The clock (ms) a frame showed, from its cells (one gray byte each, as `clockCellsFilter` makes them). */
export function decodeClockCells(cells, code = CLOCK_CODE) {
  let value = 0;
  for (let bit = 0; bit < code.bits; bit++) if (cells[bit] > 128) value += 2 ** bit;
  return value;
}

/**
 * Init script (after `installCodedCamera`): keeps the program's video track — the compositor's
 * `MediaStreamTrackGenerator`, else the last camera track handed out — and installs
 * `window.__captureLatency(ms)`: for `ms` it reads a clone of that track on the page and decodes
 * the clock from each frame; resolves with `{ frames, decoded, medianMs, p90Ms }` of
 * (arrival on the page − drawing time). That is the part before the encoder's worker (drawn →
 * captured → composed), which the studio cannot time itself: Chromium does not stamp a frame with
 * its capture time on a clock the page can read. Read only for a few seconds (it costs the page
 * a small draw per frame). Self-contained: Playwright serialises it.
 */
export function installProgramTap(code) {
  const W = code.width;
  const COLS = code.cols;
  const ROWS = code.bits / COLS;
  const cell = W / COLS;
  let program = null;
  let camera = null;
  const Generator = window.MediaStreamTrackGenerator;
  if (Generator) {
    window.MediaStreamTrackGenerator = function TappedGenerator(init) {
      const track = new Generator(init);
      if (init?.kind === 'video') program = track;
      return track;
    };
    window.MediaStreamTrackGenerator.prototype = Generator.prototype;
  }
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    camera = stream.getVideoTracks()[0] ?? camera;
    return stream;
  };
  const sample = new OffscreenCanvas(COLS, ROWS);
  const c = sample.getContext('2d', { willReadFrequently: true });
  const decode = (frame) => {
    const sx = frame.displayWidth / W;
    c.drawImage(frame, 0, 0, W * sx, ROWS * cell * sx, 0, 0, COLS, ROWS);
    const data = c.getImageData(0, 0, COLS, ROWS).data;
    let value = 0;
    for (let bit = 0; bit < code.bits; bit++) if ((data[bit * 4] + data[bit * 4 + 1] + data[bit * 4 + 2]) / 3 > 128) value += 2 ** bit;
    return value;
  };
  window.__captureLatency = async (ms) => {
    const source = program && program.readyState === 'live' ? program : camera;
    if (!source || typeof MediaStreamTrackProcessor === 'undefined') return null;
    const clone = source.clone();
    const reader = new MediaStreamTrackProcessor({ track: clone, maxBufferSize: 2 }).readable.getReader();
    const ages = [];
    let frames = 0;
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const { value, done } = await reader.read();
      if (done) break;
      const at = Date.now();
      frames += 1;
      const drawnAt = decode(value);
      value.close();
      if (at - drawnAt > 0 && at - drawnAt < 60_000) ages.push(at - drawnAt);
    }
    await reader.cancel().catch(() => {});
    clone.stop();
    ages.sort((a, b) => a - b);
    const pick = (share) => (ages.length ? ages[Math.min(ages.length - 1, Math.floor(share * ages.length))] : 0);
    return { source: source === program ? 'program' : 'camera', frames, decoded: ages.length, medianMs: pick(0.5), p90Ms: pick(0.9) };
  };
}
