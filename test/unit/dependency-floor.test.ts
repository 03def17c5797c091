import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const installed = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
const atLeast = (version: string, floor: string) => {
  const a = version.split('.').map(Number);
  const b = floor.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
};

/** Libraries whose older releases users would meet bugs in that are fixed upstream. */
const FLOORS = { 'twilio-video': '2.36.0' };

describe('dependency floors', () => {
  it.each(Object.entries(FLOORS))('%s is at least %s (installed and declared)', (name, floor) => {
    expect(atLeast(installed(name), floor), installed(name)).toBe(true);
    const declared = (require('../../package.json') as { devDependencies: Record<string, string> }).devDependencies[name] ?? 'not declared';
    expect(atLeast(declared.replace(/^[\^~]/, ''), floor), declared).toBe(true);
  });

  it('the comparison is numeric, not textual', () => {
    expect(atLeast('2.36.0', '2.36.0')).toBe(true);
    expect(atLeast('2.32.1', '2.36.0')).toBe(false);
    expect(atLeast('2.100.0', '2.36.0')).toBe(true);
    expect(atLeast('3.0.0', '2.36.0')).toBe(true);
  });
});
