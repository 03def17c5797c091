export { DEFAULT_RECONNECT, reconnectDelay, type ReconnectPolicy } from './backoff';
export { detectFormat, type FeedFormat, FeedFramer, type FeedPiece } from '../feed/framing';
export { keyMasker, maskKey, publishUrl } from './mask';
export { type ProgressBlock, ProgressParser } from '../ffmpeg/progress';
export {
  classifyExit,
  type RtmpFailureReason,
  RtmpOutput,
  type RtmpOutputEvents,
  type RtmpOutputHealth,
  type RtmpOutputOptions,
  type RtmpOutputState,
  systemCaBundle,
} from './rtmp-output';
export { FeedFanout, type FeedSink } from '../feed/feed-fanout';
