/** Device choices and preview options, remembered in localStorage. */
export const RESOLUTIONS = {
  '1080p': { width: 1920, height: 1080 },
  '720p': { width: 1280, height: 720 },
  '480p': { width: 854, height: 480 },
  '360p': { width: 640, height: 360 },
} as const;
export type ResolutionId = keyof typeof RESOLUTIONS;
export const RESOLUTION_IDS = Object.keys(RESOLUTIONS) as ResolutionId[];

export interface StudioPreferences {
  /** `''` = the system default device. */
  cameraId: string;
  micId: string;
  resolution: ResolutionId;
  mirror: boolean;
}

export const PREFERENCES_KEY = 'onair.studio.preferences';
export const DEFAULT_PREFERENCES: StudioPreferences = { cameraId: '', micId: '', resolution: '720p', mirror: true };

export function loadPreferences(storage: Storage = localStorage): StudioPreferences {
  try {
    const raw = JSON.parse(storage.getItem(PREFERENCES_KEY) ?? '{}') as Partial<StudioPreferences>;
    return {
      cameraId: typeof raw.cameraId === 'string' ? raw.cameraId : '',
      micId: typeof raw.micId === 'string' ? raw.micId : '',
      resolution: raw.resolution && raw.resolution in RESOLUTIONS ? raw.resolution : DEFAULT_PREFERENCES.resolution,
      mirror: typeof raw.mirror === 'boolean' ? raw.mirror : DEFAULT_PREFERENCES.mirror,
    };
  } catch {
    return { ...DEFAULT_PREFERENCES };
  }
}

export function savePreferences(preferences: StudioPreferences, storage: Storage = localStorage): void {
  storage.setItem(PREFERENCES_KEY, JSON.stringify(preferences));
}
