import { useEffect, useRef } from 'react';

/** A guest's camera in the backstage list (muted here: their voice goes through the mixer). */
export function GuestVideo({ stream, label }: { stream: MediaStream | null; label: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (video && video.srcObject !== stream) video.srcObject = stream;
  }, [stream]);
  return <video ref={ref} className="guest-video" autoPlay muted playsInline aria-label={label} data-testid="guest-video" />;
}
