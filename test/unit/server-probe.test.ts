import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerProbe, serverAddress } from '../../src/main/core/media/rtmp/server-probe';

describe('serverAddress', () => {
  it('takes host and port from rtmp/rtmps URLs, with the protocol defaults', () => {
    expect(serverAddress('rtmp://127.0.0.1:1936/live')).toEqual({ host: '127.0.0.1', port: 1936 });
    expect(serverAddress('rtmp://live.example/app')).toEqual({ host: 'live.example', port: 1935 });
    expect(serverAddress('rtmps://a.rtmps.youtube.com/live2')).toEqual({ host: 'a.rtmps.youtube.com', port: 443 });
    expect(serverAddress('rtmps://[::1]:4443/app')).toEqual({ host: '::1', port: 4443 });
    expect(serverAddress('http://example/app')).toBeNull();
    expect(serverAddress('not a url')).toBeNull();
  });
});

describe('ServerProbe', () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  const listen = (port = 0) =>
    new Promise<number>((resolve) => {
      server = createServer((socket) => socket.destroy());
      server.listen(port, '127.0.0.1', () => resolve((server!.address() as { port: number }).port));
    });

  it('fires once when a server that did not answer answers again, never while it always answered', async () => {
    const port = await listen();
    let upFired = 0;
    const always = new ServerProbe({ host: '127.0.0.1', port }, 50, () => (upFired += 1));
    always.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    always.stop();
    expect(upFired).toBe(0);

    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = null;
    let back = 0;
    const probe = new ServerProbe({ host: '127.0.0.1', port }, 50, () => (back += 1));
    probe.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(back).toBe(0);
    await listen(port);
    const deadline = Date.now() + 3_000;
    while (back === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 200));
    probe.stop();
    expect(back).toBe(1);
  });
});
