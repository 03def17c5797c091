/** What one getStats() reading says about a guest's incoming media. */
export interface StatsSample {
  at: number;
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
  /** The selected candidate pair's current round trip, in seconds (null: not measured yet). */
  rttSeconds: number | null;
}

export type QualityGrade = 'good' | 'fair' | 'poor' | 'unknown';

export interface LinkQuality {
  grade: QualityGrade;
  kbps: number;
  lossPercent: number;
  rttMs: number | null;
}

export const UNKNOWN_QUALITY: LinkQuality = { grade: 'unknown', kbps: 0, lossPercent: 0, rttMs: null };

/**
 * Green / amber / red as vMix Call shows callers: loss under 2 % and a round trip under 150 ms is
 * good; over 8 % loss, over 400 ms, or almost no data coming in is poor; between is fair.
 */
export function linkQuality(previous: StatsSample | null, current: StatsSample): LinkQuality {
  if (!previous || current.at <= previous.at) return UNKNOWN_QUALITY;
  const seconds = (current.at - previous.at) / 1000;
  const kbps = Math.max(0, ((current.bytesReceived - previous.bytesReceived) * 8) / 1000 / seconds);
  const received = Math.max(0, current.packetsReceived - previous.packetsReceived);
  const lost = Math.max(0, current.packetsLost - previous.packetsLost);
  const lossPercent = received + lost > 0 ? (lost / (received + lost)) * 100 : 0;
  const rttMs = current.rttSeconds === null ? null : Math.round(current.rttSeconds * 1000);
  let grade: QualityGrade = 'good';
  if (lossPercent > 8 || (rttMs !== null && rttMs > 400) || kbps < 30) grade = 'poor';
  else if (lossPercent > 2 || (rttMs !== null && rttMs > 150) || kbps < 150) grade = 'fair';
  return { grade, kbps: Math.round(kbps), lossPercent: Math.round(lossPercent * 10) / 10, rttMs };
}

/** Sums the inbound RTP of a peer connection's report and reads the selected pair's round trip. */
export function sampleOf(report: RTCStatsReport, at: number): StatsSample {
  let bytesReceived = 0;
  let packetsReceived = 0;
  let packetsLost = 0;
  let rttSeconds: number | null = null;
  report.forEach((entry: Record<string, unknown>) => {
    if (entry.type === 'inbound-rtp') {
      bytesReceived += Number(entry.bytesReceived ?? 0);
      packetsReceived += Number(entry.packetsReceived ?? 0);
      packetsLost += Number(entry.packetsLost ?? 0);
    }
    if (entry.type === 'candidate-pair' && entry.nominated && entry.state === 'succeeded' && typeof entry.currentRoundTripTime === 'number') {
      rttSeconds = entry.currentRoundTripTime;
    }
  });
  return { at, bytesReceived, packetsReceived, packetsLost, rttSeconds };
}
