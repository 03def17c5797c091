import { MAX_IMAGE_DATA_URL_LENGTH } from '../../shared/scenes';

export type ImageRead = { ok: true; src: string } | { ok: false; problem: 'tooLarge'; sizeMb: number; maxMb: number } | { ok: false; problem: 'unreadable' };

const IMAGE_DATA_URL = /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/;
const mb = (chars: number) => Math.round((chars / (1024 * 1024)) * 10) / 10;

/** What a scene may keep of a data URL: refused above MAX_IMAGE_DATA_URL_LENGTH or when it is not PNG/JPEG/WebP/GIF. */
export function checkImageDataUrl(src: string): ImageRead {
  if (src.length > MAX_IMAGE_DATA_URL_LENGTH) return { ok: false, problem: 'tooLarge', sizeMb: mb(src.length), maxMb: mb(MAX_IMAGE_DATA_URL_LENGTH) };
  return IMAGE_DATA_URL.test(src) ? { ok: true, src } : { ok: false, problem: 'unreadable' };
}

/** Reads a chosen file as a data URL; a file whose data URL would be too large is refused before it is read. */
export function readImageFile(file: File): Promise<ImageRead> {
  // base64 makes 4 characters of every 3 bytes, plus the `data:image/…;base64,` prefix.
  const expected = Math.ceil(file.size / 3) * 4 + 30;
  if (expected > MAX_IMAGE_DATA_URL_LENGTH) return Promise.resolve({ ok: false, problem: 'tooLarge', sizeMb: mb(expected), maxMb: mb(MAX_IMAGE_DATA_URL_LENGTH) });
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? checkImageDataUrl(reader.result) : { ok: false, problem: 'unreadable' });
    reader.onerror = () => resolve({ ok: false, problem: 'unreadable' });
    reader.readAsDataURL(file);
  });
}
