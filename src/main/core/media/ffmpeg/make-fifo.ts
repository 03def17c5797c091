import { execFile } from 'node:child_process';

/** Makes a named pipe (FIFO) at `path`, readable and writable by this user only (`mkfifo -m 600`). Rejects without `mkfifo`. */
export function makeFifo(path: string): Promise<void> {
  return new Promise((resolve, reject) => execFile('mkfifo', ['-m', '600', path], { shell: false, windowsHide: true }, (error) => (error ? reject(error) : resolve())));
}
