import HLS from 'hls-parser';

const { MediaPlaylist, Segment: HlsSegment, PrefetchSegment } = HLS.types;

/** One finished MPEG-TS segment of a live HLS stream. */
export interface Segment {
  /** File name inside the session folder, e.g. `s00003.ts`. */
  name: string;
  /** Sequence number (the number in the file name). */
  sequence: number;
  duration: number;
  /** First segment after the ingest restarted (new timestamps). */
  discontinuity: boolean;
}

export interface PlaylistView {
  /** Finished segments, oldest first. */
  segments: readonly Segment[];
  /** The segment ffmpeg is writing now, announced as LHLS `#EXT-X-PREFETCH` while live. */
  writing: { name: string; discontinuity: boolean } | null;
  ended: boolean;
  /** How many finished segments the live playlist lists (the sliding window). */
  window: number;
  /** The segment length asked of ffmpeg; the floor of `#EXT-X-TARGETDURATION`. */
  targetSeconds: number;
}

/**
 * A live media playlist (HLS v3, MPEG-TS) with the LHLS extension the IVS engine in the
 * Twilio player honours: `#EXT-X-PREFETCH` names the segment still being written, which the
 * server streams as it grows. Ended streams carry `#EXT-X-ENDLIST` and no prefetch, over the
 * same window.
 * Written with hls-parser, which knows the prefetch tags.
 */
export function renderPlaylist(view: PlaylistView): string {
  // The same sliding window once ended: a live playlist only gains `#EXT-X-ENDLIST` (RFC 8216
  // 6.2.1). Listing the whole session at the end sent the media sequence back to 0 and re-listed
  // segments whose files were already pruned; the Twilio player then fetched them all again
  // and its demuxer logged `AVC finishFrame called without active frame` on the jump back.
  const listed = view.segments.slice(-view.window);
  const first = listed[0];
  const mediaSequenceBase = first ? first.sequence : (sequenceOf(view.writing?.name) ?? 0);
  const dropped = view.segments.length - listed.length;
  const discontinuitySequenceBase = view.segments.slice(0, dropped).filter((s) => s.discontinuity).length;
  const playlist = new MediaPlaylist({
    version: 3,
    targetDuration: Math.max(1, Math.ceil(Math.max(view.targetSeconds, ...listed.map((s) => s.duration)))),
    mediaSequenceBase,
    discontinuitySequenceBase,
    endlist: view.ended,
    segments: listed.map(
      (segment) =>
        new HlsSegment({
          uri: segment.name,
          duration: Number(segment.duration.toFixed(3)),
          discontinuity: segment.discontinuity,
          mediaSequenceNumber: segment.sequence,
        }),
    ),
    prefetchSegments:
      !view.ended && view.writing
        ? [
            new PrefetchSegment({
              uri: view.writing.name,
              discontinuity: view.writing.discontinuity,
              discontinuitySequence: discontinuitySequenceBase + listed.filter((segment) => segment.discontinuity).length,
              mediaSequenceNumber: sequenceOf(view.writing.name) ?? mediaSequenceBase + listed.length,
            }),
          ]
        : [],
  });
  return `${withMediaSequence(HLS.stringify(playlist), mediaSequenceBase)}\n`;
}

/**
 * hls-parser leaves `#EXT-X-MEDIA-SEQUENCE` out when it is 0 (the HLS default). The Twilio
 * player's IVS engine does not take the default: while going live (fewer segments than the window,
 * so sequence 0) it lost its place once it had played the prefetched segment, appended the whole
 * playlist after what it had, fetched `s00000.ts` again and its demuxer logged `PID 256 continuity
 * counter mismatch` and `AVC finishFrame called without active frame`. The tag is always written.
 */
function withMediaSequence(text: string, sequence: number): string {
  if (/^#EXT-X-MEDIA-SEQUENCE:/m.test(text)) return text;
  return text.replace(/^(#EXT-X-TARGETDURATION:\d+)$/m, `$1\n#EXT-X-MEDIA-SEQUENCE:${sequence}`);
}

const SEGMENT_NAME = /^s(\d{5,})\.ts$/;

export function segmentName(sequence: number): string {
  return `s${String(sequence).padStart(5, '0')}.ts`;
}

export function sequenceOf(name: string | undefined): number | null {
  const match = name ? SEGMENT_NAME.exec(name) : null;
  return match ? Number(match[1]) : null;
}
