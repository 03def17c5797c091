/** The microphone's level (0..1, RMS) on a `<meter>`, about 20 times a second, until stopped. */
export function showLevel(stream: MediaStream, meter: HTMLMeterElement): () => void {
  if (stream.getAudioTracks().length === 0) return () => {};
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    // RMS scaled so speech sits in the upper half of the bar.
    meter.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
  }, 50);
  return () => {
    clearInterval(timer);
    void context.close();
  };
}
