import { StudioError } from '../../../shared/errors';
import { defaultScenesDoc, MAX_IMAGE_DATA_URL_LENGTH, MAX_SCENES_DOC_LENGTH, type ScenesDoc, scenesDocSchema } from '../../../shared/scenes';
import { zodIssues } from '../../../shared/validation';
import type { KeyValueStore } from '../settings/ports';

/** Where the scenes document is kept in the studio's settings store. */
const STORE_KEY = 'scenes';

/**
 * The program's scenes, sources, transition and mixer levels: one document in the settings store.
 * A document is written only once it is valid, so a refused save never replaces a good one; a
 * missing or unreadable document reads as `defaultScenesDoc()` (and is left as it is until saved).
 */
export class SceneStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly onChange: (doc: ScenesDoc) => void = () => {},
  ) {}

  get(): ScenesDoc {
    const parsed = scenesDocSchema.safeParse(this.store.get(STORE_KEY));
    return parsed.success ? parsed.data : defaultScenesDoc();
  }

  save(input: unknown): ScenesDoc {
    const doc = validate(input);
    this.store.set(STORE_KEY, doc);
    this.onChange(doc);
    return doc;
  }
}

/** The document, or the refusal: `scenes.image_too_large`, `scenes.too_large`, `scenes.invalid` (with the fields). */
export function validate(input: unknown): ScenesDoc {
  const parsed = scenesDocSchema.safeParse(input);
  if (!parsed.success) {
    const tooLarge = parsed.error.issues.find((issue) => issue.code === 'too_big' && issue.path.at(-1) === 'src' && Number(issue.maximum) === MAX_IMAGE_DATA_URL_LENGTH);
    if (tooLarge) {
      throw new StudioError('scenes.image_too_large', `An image is larger than ${MAX_IMAGE_DATA_URL_LENGTH} characters as a data URL.`, {
        issues: [{ path: tooLarge.path.join('.'), messageKey: 'errors.scenes.image_too_large' }],
      });
    }
    // Paths and message keys only: never the text or image the user put in.
    throw new StudioError('scenes.invalid', 'The scenes are not valid.', { issues: zodIssues(parsed.error) });
  }
  const length = JSON.stringify(parsed.data).length;
  if (length > MAX_SCENES_DOC_LENGTH) {
    throw new StudioError('scenes.too_large', `The scenes take ${length} characters; at most ${MAX_SCENES_DOC_LENGTH} can be kept.`);
  }
  return parsed.data;
}
