import {
  CAPTURE_CHOICE_TTL_MS,
  CAPTURE_THUMBNAIL_SIZE,
  type CaptureChoice,
  type CaptureSource,
  type CaptureSources,
} from '../../../shared/capture';
import { StudioError } from '../../../shared/errors';
import { isSameOrigin } from '../security/origins';
import type { DesktopCapturerLike, DesktopSourceLike, DisplayMediaAnswer, DisplayMediaRequestLike, NativeImageLike, ScreenAccess } from './ports';

export interface CaptureServiceOptions {
  /** Electron's `desktopCapturer`; absent in the browser harness and the CLI. */
  desktopCapturer?: DesktopCapturerLike;
  /** macOS: `systemPreferences.getMediaAccessStatus('screen')`. */
  screenAccess?: ScreenAccess;
  platform: NodeJS.Platform;
  /** The only page allowed to capture (`app://studio`). */
  appOrigin: string;
  now?: () => number;
  log?: (line: string) => void;
}

export const SCREEN_RECORDING_HELP =
  'macOS does not allow OnAir Studio to record the screen. Open System Settings → Privacy & Security → Screen Recording, turn on OnAir Studio, then quit and reopen the app.';

const PNG_DATA_URL = /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]*$/;

function imageUrl(image: NativeImageLike | null | undefined): string | null {
  if (!image || image.isEmpty()) return null;
  const url = image.toDataURL();
  return PNG_DATA_URL.test(url) ? url : null;
}

const kindOf = (source: DesktopSourceLike): CaptureSource['kind'] => (source.id.startsWith('screen:') ? 'screen' : 'window');

/**
 * The studio's own screen picker, main side: lists the screens and windows (`capture.sources`),
 * remembers the one the user chose (`capture.choose`), and answers the page's next
 * `getDisplayMedia` with it — only for the studio's own page, only once, only within 30 s.
 */
export class CaptureService {
  private listed = new Map<string, CaptureChoice>();
  private chosen: { choice: CaptureChoice; until: number } | null = null;
  private readonly now: () => number;

  constructor(private readonly options: CaptureServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Windows gives the system's audio with a screen (loopback); macOS and Linux do not through Electron. */
  get systemAudio(): boolean {
    return this.options.platform === 'win32';
  }

  async sources(): Promise<CaptureSources> {
    const capturer = this.options.desktopCapturer;
    if (!capturer) {
      throw new StudioError('capture.unsupported', 'This shell has no screen picker of its own; the browser asks which screen to share.');
    }
    if (this.options.platform === 'darwin' && this.options.screenAccess) {
      const status = this.options.screenAccess();
      if (status === 'denied' || status === 'restricted') throw new StudioError('capture.screen_denied', SCREEN_RECORDING_HELP, { reason: status });
    }
    let found: DesktopSourceLike[];
    try {
      found = await capturer.getSources({ types: ['screen', 'window'], thumbnailSize: { ...CAPTURE_THUMBNAIL_SIZE }, fetchWindowIcons: true });
    } catch (error) {
      this.options.log?.(`capture sources failed: ${error instanceof Error ? error.name : 'unknown'}`);
      throw new StudioError('capture.failed', 'The list of screens and windows could not be read.');
    }
    const sources = found.map((source) => ({
      id: source.id,
      name: source.name,
      kind: kindOf(source),
      thumbnail: imageUrl(source.thumbnail),
      icon: imageUrl(source.appIcon),
    }));
    // Screens first, then windows, each in the system's order.
    sources.sort((a, b) => Number(a.kind === 'window') - Number(b.kind === 'window'));
    this.listed = new Map(sources.map((source) => [source.id, { id: source.id, name: source.name, kind: source.kind }]));
    return { sources, systemAudio: this.systemAudio };
  }

  /** Only a source from the last list can be chosen. */
  choose(id: string): CaptureChoice {
    const choice = this.listed.get(id);
    if (!choice) throw new StudioError('capture.source_unknown', 'That screen or window is no longer in the list. Choose again.');
    this.chosen = { choice, until: this.now() + CAPTURE_CHOICE_TTL_MS };
    return choice;
  }

  /**
   * Electron's display-media request: the chosen source for the studio's page, taken once;
   * anything else (another origin, no choice, a stale choice) is refused.
   */
  answer(request: DisplayMediaRequestLike): DisplayMediaAnswer {
    const fromApp = isSameOrigin(request.securityOrigin, this.options.appOrigin) && isSameOrigin(request.frame?.url, this.options.appOrigin);
    if (!fromApp) {
      this.options.log?.('display capture refused: not the studio page');
      return null;
    }
    const pending = this.chosen;
    this.chosen = null;
    if (!request.videoRequested || !pending || pending.until < this.now()) return null;
    const video = { id: pending.choice.id, name: pending.choice.name };
    return request.audioRequested && this.systemAudio ? { video, audio: 'loopback' } : { video };
  }
}
