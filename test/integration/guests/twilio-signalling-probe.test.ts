import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * Issue 19 part 4, "one code path for both modes": could a server of ours (on loopback here) speak
 * enough of Twilio Video's signalling for `twilio-video` itself to connect? This probe points the
 * real, installed `twilio-video` at a WebSocket server on 127.0.0.1 (its `wsServer` connect option,
 * which its type definitions do not declare) and answers it by hand, recording what it sends. WebRTC
 * is a stand-in (Node has none), so it proves the signalling only, never media. What it found is in
 * the README (Guests → "One code path for both modes?"); these tests keep those facts true when
 * twilio-video is upgraded.
 */

type Json = Record<string, unknown>;

/** A minimal RTCPeerConnection: descriptions are remembered, no media, no ICE. */
class StandInPeerConnection {
  signalingState = 'stable';
  iceConnectionState = 'new';
  connectionState = 'new';
  iceGatheringState = 'new';
  localDescription: Json | null = null;
  remoteDescription: Json | null = null;
  addEventListener() {}
  removeEventListener() {}
  getSenders() {
    return [];
  }
  getReceivers() {
    return [];
  }
  getTransceivers() {
    return [];
  }
  addTransceiver(kind: string) {
    const sender = { track: null, replaceTrack: () => Promise.resolve(), getParameters: () => ({ encodings: [{}] }), setParameters: () => Promise.resolve() };
    return { mid: null, sender, receiver: { track: { kind } }, direction: 'recvonly', stop() {} };
  }
  createDataChannel(label: string) {
    return { label, addEventListener() {}, removeEventListener() {}, close() {} };
  }
  createOffer() {
    return Promise.resolve({ type: 'offer', sdp: sdp('offer') });
  }
  createAnswer() {
    return Promise.resolve({ type: 'answer', sdp: sdp('answer') });
  }
  setLocalDescription(description: Json) {
    this.localDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-local-offer' : 'stable';
    return Promise.resolve();
  }
  setRemoteDescription(description: Json) {
    this.remoteDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
    return Promise.resolve();
  }
  getStats() {
    return Promise.resolve(new Map());
  }
  close() {}
}
const sdp = (origin: string) => `v=0\r\no=${origin} 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n`;

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJncmFudHMiOnsiaWRlbnRpdHkiOiJndWVzdCJ9fQ.c2ln';
const ROOM_SID = `RM${'0'.repeat(32)}`;
const ME = `PA${'1'.repeat(32)}`;
const STUDIO = `PA${'2'.repeat(32)}`;

/** The loopback server: answers the handshake and hands each RSP message to `answer`. */
async function signallingServer(answer: (body: Json, send: (body: Json) => void) => void) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const received: Json[] = [];
  const sockets: WebSocket[] = [];
  server.on('connection', (socket) => {
    sockets.push(socket);
    const send = (message: Json) => socket.send(JSON.stringify(message));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Json;
      received.push(message);
      if (message.type === 'hello') send({ type: 'welcome', negotiatedTimeout: 5000 });
      if (message.type === 'heartbeat') send({ type: 'heartbeat' });
      const body = (message.type === 'hello' ? message.body : message.type === 'msg' ? message.body : null) as Json | null;
      if (body) answer(body, (reply) => send({ type: 'msg', body: reply }));
    });
  });
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/signaling`;
  const close = () => {
    for (const socket of sockets) socket.terminate();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, received, close };
}

const bodies = (received: Json[]) => received.filter((message) => message.type === 'msg' || message.type === 'hello').map((message) => message.body as Json);

/** The room state a server answers `connect` with; `participants`/`peer_connections` as given. */
const connected = (extra: Json = {}) => ({
  type: 'connected',
  version: 2,
  session: 'probe-session',
  sid: ROOM_SID,
  name: 'probe-room',
  options: { session_timeout: 30 },
  participant: { sid: ME, identity: 'guest', revision: 1, tracks: [] },
  participants: [],
  peer_connections: [],
  published: { revision: 1, tracks: [] },
  subscribed: { revision: 1, tracks: [] },
  ...extra,
});

let closeServer: (() => Promise<void>) | null = null;
beforeEach(() => {
  vi.stubGlobal('RTCPeerConnection', StandInPeerConnection);
  vi.stubGlobal('RTCSessionDescription', class {
    constructor(init: Json) {
      Object.assign(this, init);
    }
  });
  vi.stubGlobal('RTCIceCandidate', class {
    constructor(init: Json) {
      Object.assign(this, init);
    }
  });
  vi.stubGlobal('MediaStreamTrack', class {});
  vi.stubGlobal('MediaStream', class {
    getTracks() {
      return [];
    }
  });
});
afterEach(async () => {
  await closeServer?.();
  closeServer = null;
  vi.unstubAllGlobals();
});

async function connectTo(url: string, options: Json = {}) {
  const { connect } = await import('twilio-video');
  // No insights (they would go to Twilio's gateway), no network monitor; the room's name as usual.
  return connect(TOKEN, { name: 'probe-room', tracks: [], insights: false, networkMonitor: false, wsServer: url, ...options } as Parameters<typeof connect>[1]);
}

describe('twilio-video against a loopback signalling server (issue 19 part 4, a probe)', () => {
  it('opens with a TCMP v2 hello asking for ICE servers, then sends an RSP v2 connect: the token, its offer, subscribe-all, unified SDP', async () => {
    const server = await signallingServer((body, send) => {
      if (body.type === 'ice') send({ type: 'iced', ice_servers: [] });
      if (body.type === 'connect') send(connected());
    });
    closeServer = server.close;
    const room = await connectTo(server.url);
    expect(room.sid).toBe(ROOM_SID);
    expect(room.localParticipant.sid).toBe(ME);

    const hello = server.received[0]!;
    expect(hello).toMatchObject({ type: 'hello', version: 2, body: { type: 'ice', version: 1, token: TOKEN } });
    const connect = bodies(server.received).find((body) => body.type === 'connect')!;
    expect(connect).toMatchObject({
      version: 2,
      name: 'probe-room',
      token: TOKEN,
      format: 'unified',
      ice_servers: 'acquire',
      subscribe: { rules: [{ type: 'include', all: true }] },
      publisher: { name: 'twilio-video.js' },
    });
    const offers = connect.peer_connections as Array<{ id: string; description: { type: string; sdp: string } }>;
    expect(offers).toHaveLength(1);
    expect(offers[0]!.description.type).toBe('offer');
    expect(offers[0]!.description.sdp).toBe(sdp('offer'));

    room.disconnect();
    await vi.waitFor(() => expect(bodies(server.received).some((body) => body.type === 'disconnect')).toBe(true), { timeout: 15_000 });
  });

  it('with its ICE servers given (`iceServers`), the hello carries the connect message itself', async () => {
    const server = await signallingServer((body, send) => {
      if (body.type === 'connect') send(connected());
    });
    closeServer = server.close;
    const room = await connectTo(server.url, { iceServers: [] });
    expect(server.received[0]).toMatchObject({ type: 'hello', body: { type: 'connect', ice_servers: 'overrode', token: TOKEN } });
    room.disconnect();
  });

  it('answers an offer the server relays (as a peer-to-peer room would) and lists the other participant’s named track', async () => {
    const server = await signallingServer((body, send) => {
      if (body.type === 'ice') send({ type: 'iced', ice_servers: [] });
      if (body.type === 'connect') {
        send(
          connected({
            participants: [{ sid: STUDIO, identity: 'studio', revision: 1, state: 'connected', tracks: [{ sid: `MT${'3'.repeat(32)}`, id: 'program-id', name: 'program', kind: 'video', enabled: true, priority: 'standard' }] }],
            peer_connections: [{ id: 'from-the-studio', description: { type: 'offer', revision: 1, sdp: sdp('studio') } }],
          }),
        );
      }
    });
    closeServer = server.close;
    const room = await connectTo(server.url);
    const studio = [...room.participants.values()];
    expect(studio.map((participant) => participant.identity)).toEqual(['studio']);
    // Named and known, but not subscribed: that needs `subscribed` (track sid → the id in the SDP) and real media.
    expect([...studio[0]!.tracks.values()].map((publication) => [publication.trackName, publication.isSubscribed])).toEqual([['program', false]]);
    await vi.waitFor(() => {
      const update = bodies(server.received).find((body) => body.type === 'update');
      expect(update).toMatchObject({ session: 'probe-session', peer_connections: [{ id: 'from-the-studio', description: { type: 'answer', sdp: sdp('answer') } }] });
    }, { timeout: 15_000 });
    room.disconnect();
  });
});
