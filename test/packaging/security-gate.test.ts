import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const gate = (args: string[]) =>
  new Promise<{ code: number; output: string }>((done) =>
    execFile(process.execPath, [resolve('scripts/security-gate.mjs'), ...args], { cwd: resolve('.') }, (error, stdout, stderr) =>
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    ),
  );

const scratch = mkdtempSync(join(tmpdir(), 'onair-security-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run security (electronegativity gate)', () => {
  it('passes on src/, listing each reviewed exception it applied', async () => {
    const report = join(scratch, 'src.csv');
    const { code, output } = await gate(['--report', report]);
    expect(code, output).toBe(0);
    expect(output).toContain('security gate: passed');
    expect(output).toMatch(/CSP_GLOBAL_CHECK .*\(reviewed exception\)/);
    expect(readFileSync(report, 'utf8').split('\n')[0]).toBe('check,severity,confidence,file,location,sample,description');
  });

  it('fails on an insecure window, naming the check and the file', async () => {
    const input = join(scratch, 'insecure');
    mkdirSync(input);
    writeFileSync(
      join(input, 'main.js'),
      "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } });\n",
    );
    const { code, output } = await gate(['--input', input, '--report', join(scratch, 'insecure.csv')]);
    expect(code).toBe(1);
    expect(output).toContain('security gate: FAILED');
    expect(output).toMatch(/HIGH CONTEXT_ISOLATION_JS_CHECK main\.js/);
    expect(output).toMatch(/MEDIUM WEB_SECURITY_JS_CHECK main\.js/);
    // The reviewed exceptions belong to src/ only: the missing CSP counts here.
    expect(output).toMatch(/MEDIUM CSP_GLOBAL_CHECK N\/A/);
  });
});
