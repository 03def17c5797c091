/** One block of ffmpeg's `-progress` output (key=value lines ending with `progress=continue|end`). */
export interface ProgressBlock {
  frame: number;
  fps: number;
  /** kbit/s, or null when ffmpeg reports N/A. */
  bitrateKbps: number | null;
  totalSize: number;
  outTimeUs: number;
  dropFrames: number;
  dupFrames: number;
  speed: number | null;
  end: boolean;
}

function toNumber(value: string | undefined): number | null {
  if (value === undefined) return null;
  const parsed = Number.parseFloat(value.trim());
  return Number.isFinite(parsed) ? parsed : null;
}

/** Splits the progress pipe into blocks; call `push` with each chunk read. */
export class ProgressParser {
  private partial = '';
  private fields = new Map<string, string>();

  constructor(private readonly onBlock: (block: ProgressBlock) => void) {}

  push(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.trim();
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1);
      if (key !== 'progress') {
        this.fields.set(key, value);
        continue;
      }
      const f = this.fields;
      this.fields = new Map();
      this.onBlock({
        frame: toNumber(f.get('frame')) ?? 0,
        fps: toNumber(f.get('fps')) ?? 0,
        bitrateKbps: toNumber(f.get('bitrate')?.replace('kbits/s', '')),
        totalSize: toNumber(f.get('total_size')) ?? 0,
        outTimeUs: toNumber(f.get('out_time_us')) ?? 0,
        dropFrames: toNumber(f.get('drop_frames')) ?? 0,
        dupFrames: toNumber(f.get('dup_frames')) ?? 0,
        speed: toNumber(f.get('speed')?.replace('x', '')),
        end: value === 'end',
      });
    }
  }
}
