import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const netLog = (name: string) => join(scratch, `${name}.net.log`);
const attempts = (name: string) => (existsSync(netLog(name)) ? readFileSync(netLog(name), 'utf8').trim().split('\n') : []);
/** Runs the gate as `npm run security` does, recording every network attempt it makes. */
const gate = (args: string[], name: string) =>
  new Promise<{ code: number; output: string }>((done) =>
    execFile(process.execPath, ['--import', pathToFileURL(resolve('test/support/record-network.mjs')).href, resolve('scripts/security-gate.mjs'), ...args], { cwd: resolve('.'), env: { ...process.env, ONAIR_NET_LOG: netLog(name) } }, (error, stdout, stderr) =>
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    ),
  );

const scratch = mkdtempSync(join(tmpdir(), 'onair-security-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run security (electronegativity gate)', () => {
  it('the network recorder sees an attempt (so the empty lists below mean something)', async () => {
    const script = "import('node:dns').then((dns) => dns.lookup('example.invalid', () => {})); import('node:net').then((net) => net.connect(9, '192.0.2.1').on('error', () => {}));";
    await new Promise((done) => execFile(process.execPath, ['--import', pathToFileURL(resolve('test/support/record-network.mjs')).href, '-e', script], { env: { ...process.env, ONAIR_NET_LOG: netLog('probe') } }, done));
    expect(attempts('probe')).toEqual(expect.arrayContaining(['dns.lookup example.invalid', 'connect 192.0.2.1:9']));
  });

  it('passes on src/, listing each reviewed exception it applied', async () => {
    const report = join(scratch, 'src.csv');
    const { code, output } = await gate(['--report', report], 'src');
    expect(code, output).toBe(0);
    // Offline, and it never tries otherwise: no translations download, no Electron release list.
    expect(attempts('src')).toEqual([]);
    expect(output).toContain('offline: not run: AvailableSecurityFixesGlobalCheck');
    expect(output).not.toMatch(/Could not retrieve|No connectivity/);
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
    const { code, output } = await gate(['--input', input, '--report', join(scratch, 'insecure.csv')], 'insecure');
    expect(attempts('insecure')).toEqual([]);
    expect(code).toBe(1);
    expect(output).toContain('security gate: FAILED');
    expect(output).toMatch(/HIGH CONTEXT_ISOLATION_JS_CHECK main\.js/);
    expect(output).toMatch(/MEDIUM WEB_SECURITY_JS_CHECK main\.js/);
    // The reviewed exceptions belong to src/ only: the missing CSP counts here.
    expect(output).toMatch(/MEDIUM CSP_GLOBAL_CHECK N\/A/);
  });
});
