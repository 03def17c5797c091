import { useEffect, useState } from 'react';

/** dBFS below this reads as silence on the meter. */
const FLOOR_DB = -60;
const FRAME_MS = 66;

/** RMS of one block of samples as 0..1 on a -60..0 dBFS scale. */
export function levelOf(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  const rms = Math.sqrt(sum / samples.length);
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  return Math.min(1, Math.max(0, (db - FLOOR_DB) / -FLOOR_DB));
}

/** A live microphone level (0..1) from a Web Audio AnalyserNode, about 15 times a second. */
export function useMicLevel(stream: MediaStream | null): number {
  const [reading, setReading] = useState<{ stream: MediaStream | null; level: number }>({ stream: null, level: 0 });
  useEffect(() => {
    if (!stream || stream.getAudioTracks().length === 0 || typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    const source = context.createMediaStreamSource(stream);
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    let last = 0;
    let shown = 0;
    const tick = (time: number) => {
      frame = requestAnimationFrame(tick);
      if (time - last < FRAME_MS) return;
      last = time;
      analyser.getFloatTimeDomainData(samples);
      // Fast attack, slow release: the meter reads like a hardware one.
      const next = Math.max(levelOf(samples), shown * 0.8);
      if (Math.abs(next - shown) > 0.01 || (next === 0) !== (shown === 0)) {
        shown = next < 0.01 ? 0 : next;
        setReading({ stream, level: shown });
      }
    };
    frame = requestAnimationFrame(tick);
    // Autoplay rules may start the context suspended; the first gesture wakes it.
    const wake = () => void context.resume().catch(() => {});
    wake();
    window.addEventListener('pointerdown', wake, { once: true });
    window.addEventListener('keydown', wake, { once: true });
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('pointerdown', wake);
      window.removeEventListener('keydown', wake);
      source.disconnect();
      void context.close().catch(() => {});
    };
  }, [stream]);
  return stream && reading.stream === stream ? reading.level : 0;
}
