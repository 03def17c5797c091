import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * The stream key, never from an argument (`ps` shows every process's arguments to every local
 * user): piped on standard input (`… | onair destination add …`, one line), or typed at a prompt
 * that does not echo it.
 */
export async function readStreamKey(input: Readable & { isTTY?: boolean } = process.stdin, output: Writable = process.stderr): Promise<string> {
  if (!input.isTTY) {
    let text = '';
    input.setEncoding('utf8');
    for await (const chunk of input) text += chunk as string;
    // One line: the key; the line break a shell adds is not part of it.
    return text.replace(/\r?\n$/, '');
  }
  output.write('Stream key (not shown): ');
  // A terminal interface without an output: keys are read raw and nothing typed is echoed back.
  const rl = createInterface({ input, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.once('line', resolve));
  } finally {
    rl.close();
    output.write('\n');
  }
}
