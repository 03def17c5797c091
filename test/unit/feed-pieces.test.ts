/**
 * The feed is cut into pieces once, by the fan-out's framer; a boundary piece carries the init
 * segment, so a reader that joins later (an output added mid-feed, an RTMP output's new ffmpeg
 * after a drop) starts from the pieces alone and never cuts the bytes again.
 */
import { describe, expect, it } from 'vitest';
import { FeedFanout } from '../../src/main/core/media/feed/feed-fanout';
import { FeedJoin } from '../../src/main/core/media/feed/feed-join';
import type { FeedPiece } from '../../src/main/core/media/feed/feed-piece';
import { TINY_INIT, tinyFragment } from '../support/mp4-boxes';

const init = TINY_INIT;
const fragment = tinyFragment;

describe('feed pieces, cut once', () => {
  it('a sink added mid-feed gets the init, then the feed from the next fragment; boundary pieces carry the init', () => {
    const fanout = new FeedFanout();
    const early: FeedPiece[] = [];
    const late: FeedPiece[] = [];
    fanout.add({ write: (piece) => early.push(piece) });
    fanout.write(Buffer.concat([init, fragment(1)]));
    // Half a fragment, then the sink joins: it must wait for the next fragment.
    const second = fragment(2);
    fanout.write(second.subarray(0, 10));
    fanout.add({ write: (piece) => late.push(piece) });
    fanout.write(second.subarray(10));
    fanout.write(fragment(3));

    expect(Buffer.concat(early.map((p) => p.data))).toEqual(Buffer.concat([init, fragment(1), second, fragment(3)]));
    expect(early.filter((p) => p.boundary).every((p) => p.init?.equals(init))).toBe(true);
    expect(early.filter((p) => p.boundary)).toHaveLength(3);
    expect(late[0]).toEqual({ data: init, boundary: false });
    expect(Buffer.concat(late.map((p) => p.data))).toEqual(Buffer.concat([init, fragment(3)]));
  });

  it('FeedJoin: a joined reader takes every piece; a late one skips to a boundary and takes its init first', () => {
    const taken: string[] = [];
    const deliver = (piece: FeedPiece) => taken.push(piece.data.toString());
    const piece = (text: string, boundary: boolean, init?: string): FeedPiece => ({ data: Buffer.from(text), boundary, init: init ? Buffer.from(init) : null });

    const joined = new FeedJoin(true);
    expect(joined.pass(piece('a', false), deliver)).toBe(true);
    expect(taken).toEqual(['a']);

    taken.length = 0;
    const late = new FeedJoin(false);
    expect(late.pass(piece('b', false), deliver)).toBe(false);
    expect(late.pass(piece('c', true, 'I'), deliver)).toBe(true);
    expect(late.pass(piece('d', true, 'I'), deliver)).toBe(true);
    expect(taken).toEqual(['I', 'c', 'd']);
  });
});
