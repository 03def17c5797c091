import { describe, expect, it } from 'vitest';
import type { FeedPiece } from '../../../src/main/core/media/feed/feed-piece';
import { ProgramFeed, type ProgramFeedSink } from '../../../src/main/core/media/feed/program-feed';
import { StudioError } from '../../../src/shared/errors';
import { TINY_INIT, tinyFragment } from '../../support/mp4-boxes';

const notLive = () => new StudioError('media.not_live', 'nothing needs the feed');

const init = TINY_INIT;
const fragment = tinyFragment;

function recorder(): ProgramFeedSink & { bytes: Buffer[]; events: string[] } {
  const sink = {
    bytes: [] as Buffer[],
    events: [] as string[],
    write: (piece: FeedPiece) => sink.bytes.push(Buffer.from(piece.data)),
    feedStarted: () => sink.events.push('started'),
    feedEnded: () => sink.events.push('ended'),
  };
  return sink;
}

describe('the program feed', () => {
  it('is accepted only while something needs it, and ends its ingest when the last reason goes', () => {
    const feed = new ProgramFeed();
    expect(() => feed.open('video/mp4', notLive)).toThrow(StudioError);
    const sink = recorder();
    feed.add(sink);
    feed.need('destinations');
    feed.need('recording');
    const session = feed.open('video/mp4', notLive);
    feed.chunk(session.ingestId, 0, init);
    feed.release('destinations');
    expect(feed.current()).not.toBeNull();
    feed.release('recording');
    expect(feed.current()).toBeNull();
    expect(sink.events).toEqual(['started', 'ended']);
    expect(() => feed.chunk(session.ingestId, 1, fragment(1))).toThrow(expect.objectContaining({ code: 'media.not_live' }));
  });

  it('takes chunks in order only, gives each sink every byte once, and a throwing sink disturbs nobody', () => {
    const feed = new ProgramFeed();
    feed.need('broadcast');
    const good = recorder();
    const thrower: ProgramFeedSink = {
      write: () => {
        throw new Error('boom');
      },
    };
    feed.add(thrower);
    feed.add(good);
    const { ingestId } = feed.open('video/mp4', notLive);
    const chunks = [init, fragment(1), fragment(2)];
    chunks.forEach((chunk, seq) => feed.chunk(ingestId, seq, chunk));
    expect(() => feed.chunk(ingestId, 5, fragment(3))).toThrow(expect.objectContaining({ code: 'media.ingest_failed' }));
    expect(Buffer.concat(good.bytes).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('a sink added mid-stream joins at the next fragment with the init segment first', () => {
    const feed = new ProgramFeed();
    feed.need('recording');
    const { ingestId } = feed.open('video/mp4', notLive);
    feed.chunk(ingestId, 0, Buffer.concat([init, fragment(1)]));
    const late = recorder();
    feed.add(late);
    expect(late.events).toEqual(['started']);
    feed.chunk(ingestId, 1, fragment(2));
    expect(Buffer.concat(late.bytes).equals(Buffer.concat([init, fragment(2)]))).toBe(true);
  });

  it('a sink that must not lose a byte refuses a chunk for everyone (backpressure); the renderer sends it again', () => {
    const feed = new ProgramFeed();
    feed.need('broadcast');
    let full = true;
    const strict: ProgramFeedSink = { write: () => {}, wouldBlock: () => full };
    const other = recorder();
    feed.add(strict);
    feed.add(other);
    const { ingestId } = feed.open('video/mp4', notLive);
    expect(() => feed.chunk(ingestId, 0, init)).toThrow(expect.objectContaining({ code: 'media.backpressure' }));
    expect(other.bytes).toEqual([]);
    full = false;
    expect(feed.chunk(ingestId, 0, init)).toMatchObject({ seq: 0 });
    expect(Buffer.concat(other.bytes).equals(init)).toBe(true);
  });
});
