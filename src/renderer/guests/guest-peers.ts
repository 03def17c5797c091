import type { Signal } from '../../shared/guests';
import { candidateAllowed } from '../../shared/ice-candidates';
import { type LinkQuality, linkQuality, sampleOf, type StatsSample, UNKNOWN_QUALITY } from './link-quality';

/** Only host candidates: no STUN or TURN server (Local mode never reaches the internet). */
const PEER_CONFIG: RTCConfiguration = { iceServers: [] };

interface Peer {
  pc: RTCPeerConnection;
  stream: MediaStream;
  video: RTCRtpTransceiver;
  audio: RTCRtpTransceiver;
  remoteSet: boolean;
  pending: RTCIceCandidateInit[];
  lastSample: StatsSample | null;
  quality: LinkQuality;
}

export interface GuestPeersOptions {
  /** Sends the studio's offer or candidate to a guest's page (through main). */
  send: (guestId: string, signal: Signal) => void;
  /** A guest's media (camera and microphone) arrived or changed. */
  onStream: (guestId: string, stream: MediaStream) => void;
}

/**
 * The studio's side of each guest's WebRTC link (the renderer owns the peer connections): the
 * studio offers one sendrecv video and one sendrecv audio transceiver, sending the guest the
 * program (the return feed) and its mix-minus, and receiving the guest's camera and microphone.
 */
export class GuestPeers {
  private readonly peers = new Map<string, Peer>();
  /** The address the guest server shares on: only candidates on it are offered (null: all). */
  private address: string | null = null;

  constructor(private readonly options: GuestPeersOptions) {}

  shareOn(address: string | null): void {
    this.address = address;
  }

  has(guestId: string): boolean {
    return this.peers.has(guestId);
  }

  /** Opens the link to a guest and sends the offer. */
  async open(guestId: string, back: { video: MediaStreamTrack | null; audio: MediaStreamTrack | null }): Promise<void> {
    if (this.peers.has(guestId)) return;
    const pc = new RTCPeerConnection(PEER_CONFIG);
    const stream = new MediaStream();
    const video = pc.addTransceiver('video', { direction: 'sendrecv' });
    const audio = pc.addTransceiver('audio', { direction: 'sendrecv' });
    const peer: Peer = { pc, stream, video, audio, remoteSet: false, pending: [], lastSample: null, quality: UNKNOWN_QUALITY };
    this.peers.set(guestId, peer);
    await this.setReturn(guestId, back);
    pc.ontrack = ({ track }) => {
      for (const old of stream.getTracks().filter((t) => t.kind === track.kind)) stream.removeTrack(old);
      stream.addTrack(track);
      this.options.onStream(guestId, stream);
    };
    pc.onicecandidate = ({ candidate }) => {
      if (candidate && candidate.candidate && candidateAllowed(candidate.candidate, this.address)) this.options.send(guestId, { kind: 'ice', candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex });
    };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    this.options.send(guestId, { kind: 'offer', sdp: offer.sdp ?? '' });
  }

  /** The return feed: the program video and the guest's mix-minus audio. */
  async setReturn(guestId: string, back: { video: MediaStreamTrack | null; audio: MediaStreamTrack | null }): Promise<void> {
    const peer = this.peers.get(guestId);
    if (!peer) return;
    if (peer.video.sender.track !== back.video) await peer.video.sender.replaceTrack(back.video);
    if (peer.audio.sender.track !== back.audio) await peer.audio.sender.replaceTrack(back.audio);
  }

  async signal(guestId: string, signal: Signal): Promise<void> {
    const peer = this.peers.get(guestId);
    if (!peer) return;
    if (signal.kind === 'answer') {
      await peer.pc.setRemoteDescription({ type: 'answer', sdp: signal.sdp });
      peer.remoteSet = true;
      for (const candidate of peer.pending.splice(0)) await peer.pc.addIceCandidate(candidate).catch(() => {});
      return;
    }
    if (signal.kind === 'ice') {
      const candidate = { candidate: signal.candidate, sdpMid: signal.sdpMid, sdpMLineIndex: signal.sdpMLineIndex };
      if (peer.remoteSet) await peer.pc.addIceCandidate(candidate).catch(() => {});
      else peer.pending.push(candidate);
    }
    // A guest never offers: the studio leads the negotiation.
  }

  /** Reads each link's stats once; call about once a second. */
  async measure(): Promise<Record<string, LinkQuality>> {
    const out: Record<string, LinkQuality> = {};
    for (const [guestId, peer] of this.peers) {
      try {
        const sample = sampleOf(await peer.pc.getStats(), performance.now());
        peer.quality = linkQuality(peer.lastSample, sample);
        peer.lastSample = sample;
      } catch {
        peer.quality = UNKNOWN_QUALITY;
      }
      out[guestId] = peer.quality;
    }
    return out;
  }

  close(guestId: string): void {
    const peer = this.peers.get(guestId);
    if (!peer) return;
    this.peers.delete(guestId);
    peer.pc.close();
  }

  closeAll(): void {
    for (const guestId of [...this.peers.keys()]) this.close(guestId);
  }
}
