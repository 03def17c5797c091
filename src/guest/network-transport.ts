import { candidateAllowed, isLoopback } from '../shared/ice-candidates';
import { GUEST_SIGNAL_PATH, type GuestWireIn, type GuestWireOut, type Signal } from '../shared/guests';
import type { GuestTransport, GuestTransportEvents } from './guest-session';

/** Only host candidates: no STUN or TURN server, nothing leaves the local network. */
const PEER_CONFIG: RTCConfiguration = { iceServers: [] };

/**
 * Local mode: one WebSocket to the studio's guest server (hello with the invite, then signalling
 * with a rising sequence number) and one RTCPeerConnection the studio's renderer offers. The
 * offer carries a sendrecv video and audio transceiver; the guest sends its camera and microphone
 * on them and receives the program back.
 */
export class NetworkTransport implements GuestTransport {
  private ws: WebSocket | null = null;
  private pc: RTCPeerConnection | null = null;
  private seq = 0;
  private answered = false;
  private pending: RTCIceCandidateInit[] = [];
  private on: GuestTransportEvents | null = null;

  constructor(
    private readonly invite: string,
    private readonly media: MediaStream,
  ) {}

  join(name: string, events: GuestTransportEvents): void {
    this.on = events;
    const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}${GUEST_SIGNAL_PATH}`);
    this.ws = ws;
    ws.onopen = () => this.send({ type: 'hello', seq: 1, invite: this.invite, name });
    ws.onmessage = (event) => void this.receive(JSON.parse(String(event.data)) as GuestWireOut);
    ws.onclose = () => {
      this.closePeer();
      events.lost();
    };
  }

  leave(): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.send({ type: 'leave', seq: this.seq + 1 });
    this.ws?.close();
    this.closePeer();
  }

  private send(message: GuestWireIn): void {
    this.seq = message.seq;
    this.ws?.send(JSON.stringify(message));
  }

  private signal(signal: Signal): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.send({ type: 'signal', seq: this.seq + 1, signal });
  }

  private async receive(message: GuestWireOut): Promise<void> {
    switch (message.type) {
      case 'welcome':
        this.on?.joined(message.state, message.muted);
        return;
      case 'refused':
        this.on?.refused(message.reason);
        return;
      case 'state':
        this.on?.state(message.state, message.muted);
        return;
      case 'signal':
        await this.onSignal(message.signal);
        return;
    }
  }

  private peer(): RTCPeerConnection {
    if (this.pc) return this.pc;
    const pc = new RTCPeerConnection(PEER_CONFIG);
    pc.onicecandidate = ({ candidate }) => {
      // Reached over loopback (the studio on this computer): only loopback candidates.
      const over = isLoopback(location.hostname.replace(/^\[|\]$/g, '')) ? location.hostname : null;
      if (candidate && candidate.candidate && candidateAllowed(candidate.candidate, over)) this.signal({ kind: 'ice', candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex });
    };
    const program = new MediaStream();
    pc.ontrack = ({ track }) => {
      program.addTrack(track);
      this.on?.program(program);
    };
    this.pc = pc;
    return pc;
  }

  private async onSignal(signal: Signal): Promise<void> {
    const pc = this.peer();
    if (signal.kind === 'ice') {
      const candidate = { candidate: signal.candidate, sdpMid: signal.sdpMid, sdpMLineIndex: signal.sdpMLineIndex };
      if (this.answered) await pc.addIceCandidate(candidate).catch(() => {});
      else this.pending.push(candidate);
      return;
    }
    if (signal.kind !== 'offer') return;
    await pc.setRemoteDescription({ type: 'offer', sdp: signal.sdp });
    for (const transceiver of pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind;
      const mine = kind === 'video' ? this.media.getVideoTracks()[0] : this.media.getAudioTracks()[0];
      if (mine && transceiver.sender.track !== mine) {
        await transceiver.sender.replaceTrack(mine);
        transceiver.direction = 'sendrecv';
      }
    }
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    this.signal({ kind: 'answer', sdp: answer.sdp ?? '' });
    this.answered = true;
    for (const candidate of this.pending.splice(0)) await pc.addIceCandidate(candidate).catch(() => {});
  }

  private closePeer(): void {
    this.pc?.close();
    this.pc = null;
  }
}
