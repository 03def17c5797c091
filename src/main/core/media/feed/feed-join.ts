import type { FeedPiece } from './feed-piece';

/**
 * Where one reader of a feed begins: a reader there from the first byte takes every piece; one that
 * begins mid-stream (an output added while the feed runs, an RTMP output's new ffmpeg after a drop)
 * takes nothing until a boundary piece, and then that piece's init segment first. The fan-out and
 * the RTMP output's reconnect both join this way, on the pieces the feed's framer cut once.
 */
export class FeedJoin {
  constructor(private joined: boolean) {}

  /** Still waiting for a boundary (a fragment that starts with a keyframe). */
  get waiting(): boolean {
    return !this.joined;
  }

  /** Hands `deliver` what this reader gets of `piece` (maybe the init, then the piece); false when the piece was skipped. */
  pass(piece: FeedPiece, deliver: (piece: FeedPiece) => void): boolean {
    if (!this.joined) {
      if (!piece.boundary) return false;
      this.joined = true;
      if (piece.init) deliver({ data: piece.init, boundary: false });
    }
    deliver(piece);
    return true;
  }
}
