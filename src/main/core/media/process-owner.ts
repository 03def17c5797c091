/**
 * Who owns a file the studio leaves on disk while it works (a recording being written, a key
 * FIFO's folder): the owning process, and whether it is still running. Used at start-up to find
 * what a crashed (SIGKILLed) run left behind — and never to touch what a live process owns.
 *
 * "Dead" must be provable: only then is anything removed or finished. A pid is dead when
 * `kill(pid, 0)` says ESRCH, when it is a zombie (Linux `/proc/<pid>/stat` state Z: killed, not
 * yet reaped), or when the process now under that pid started at another time than the owner did
 * (Linux: the start time in clock ticks since boot, field 22, and the boot id). Anything else —
 * EPERM (another user's process), no /proc — counts as alive: the file waits for a later start.
 */
import { readFileSync } from 'node:fs';

export interface ProcessOwner {
  pid: number;
  /** Linux: `/proc/<pid>/stat` start time (clock ticks since boot); null elsewhere. */
  startTicks: number | null;
  /** Linux: `/proc/sys/kernel/random/boot_id`; null elsewhere. */
  bootId: string | null;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** State and start time of a Linux process (`/proc/<pid>/stat`); null without /proc or when it is gone. */
function procStat(pid: number): { state: string; startTicks: number } | null {
  const text = readOrNull(`/proc/${pid}/stat`);
  if (!text) return null;
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const startTicks = Number(fields[19]);
  return { state: fields[0] ?? '', startTicks: Number.isFinite(startTicks) ? startTicks : -1 };
}

function bootId(): string | null {
  return readOrNull('/proc/sys/kernel/random/boot_id')?.trim() || null;
}

/** This process, as an owner to write down. */
export function currentOwner(): ProcessOwner {
  return { pid: process.pid, startTicks: procStat(process.pid)?.startTicks ?? null, bootId: bootId() };
}

/** Whether `owner` may still be running (see the module comment); false only when provably gone. */
export function ownerAlive(owner: Pick<ProcessOwner, 'pid'> & Partial<ProcessOwner>): boolean {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  if (owner.bootId && bootId() && owner.bootId !== bootId()) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: a process of another user has that pid; it is there.
  }
  const stat = procStat(owner.pid);
  if (stat?.state === 'Z') return false;
  if (stat && typeof owner.startTicks === 'number' && stat.startTicks >= 0 && stat.startTicks !== owner.startTicks) return false;
  return true;
}

/** Another running process (a child we just spawned), as an owner to write down. */
export function processOwner(pid: number): ProcessOwner {
  return { pid, startTicks: procStat(pid)?.startTicks ?? null, bootId: bootId() };
}
