import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordingFormat } from '../../../shared/recording';

const pad = (value: number) => String(value).padStart(2, '0');

/** `OnAir 2026-12-01 09-30-12` in local time (no characters any file system refuses). */
export function recordingBaseName(at: Date): string {
  const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  const time = `${pad(at.getHours())}-${pad(at.getMinutes())}-${pad(at.getSeconds())}`;
  return `OnAir ${day} ${time}`;
}

/** A base name whose final and crash-safe files are both free in `folder`: adds ` (2)`, ` (3)`, … */
export function freeBaseName(folder: string, base: string, format: RecordingFormat, exists: (path: string) => boolean = existsSync): string {
  for (let n = 1; ; n += 1) {
    const candidate = n === 1 ? base : `${base} (${n})`;
    if (!exists(join(folder, `${candidate}.${format}`)) && !exists(join(folder, `${candidate}.recording.mp4`))) return candidate;
  }
}
