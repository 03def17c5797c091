import { useCallback, useEffect, useRef, useState } from 'react';

export interface DeviceLists {
  cameras: MediaDeviceInfo[];
  mics: MediaDeviceInfo[];
}

const hasDevices = () => typeof navigator !== 'undefined' && !!navigator.mediaDevices?.enumerateDevices;

function listsOf(all: MediaDeviceInfo[]): DeviceLists {
  // Before any permission, browsers list placeholders without ids: nothing to choose yet.
  const usable = all.filter((device) => device.deviceId !== '');
  return { cameras: usable.filter((device) => device.kind === 'videoinput'), mics: usable.filter((device) => device.kind === 'audioinput') };
}

const enumerate = () => navigator.mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[]);

/**
 * Cameras and microphones, refreshed on hot-plug (`devicechange`) and whenever
 * `refresh` is called (after a grant, labels appear). `onHotPlug` sees the new lists.
 */
export function useDevices(onHotPlug?: (lists: DeviceLists) => void) {
  const [lists, setLists] = useState<DeviceLists>({ cameras: [], mics: [] });
  const hotPlug = useRef(onHotPlug);
  useEffect(() => {
    hotPlug.current = onHotPlug;
  });

  const refresh = useCallback(() => {
    if (!hasDevices()) return;
    void enumerate().then((all) => setLists(listsOf(all)));
  }, []);

  useEffect(() => {
    if (!hasDevices()) return;
    let alive = true;
    void enumerate().then((all) => alive && setLists(listsOf(all)));
    const onChange = () =>
      void enumerate().then((all) => {
        if (!alive) return;
        const next = listsOf(all);
        setLists(next);
        hotPlug.current?.(next);
      });
    navigator.mediaDevices.addEventListener('devicechange', onChange);
    return () => {
      alive = false;
      navigator.mediaDevices.removeEventListener('devicechange', onChange);
    };
  }, []);

  return { ...lists, refresh };
}
