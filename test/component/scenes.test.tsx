import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useShortcuts } from '../../src/renderer/app/shortcuts';
import { LayoutEditor } from '../../src/renderer/scenes/LayoutEditor';
import { chooseByNumber, editedScene, take } from '../../src/renderer/scenes/scene-model';
import { ScenesPanel } from '../../src/renderer/scenes/ScenesPanel';
import { SourcesPanel } from '../../src/renderer/scenes/SourcesPanel';
import { SAVE_DELAY_MS, useScenes } from '../../src/renderer/scenes/use-scenes';
import { Dialog } from '../../src/renderer/ui/Dialog';
import en from '../../src/shared/locales/en';
import ja from '../../src/shared/locales/ja';
import { defaultScenesDoc, MAX_IMAGE_DATA_URL_LENGTH, type ScenesDoc, scenesDocSchema } from '../../src/shared/scenes';
import { installFakeOnair, setupTestI18n } from './support/fake-onair';

/** The scene UI as the studio wires it: useScenes, the panels, the layout editor and the 1–9 / T keys. */
function Studio({ modal = false }: { modal?: boolean }) {
  const scenes = useScenes();
  const { doc, change } = scenes;
  useShortcuts({
    scene: doc ? (n: number) => change((current) => chooseByNumber(current, n)) : null,
    take: doc && doc.previewSceneId ? () => change(take) : null,
  });
  if (!doc) return <p>{scenes.loadError ?? 'loading'}</p>;
  const edited = editedScene(doc);
  return (
    <>
      <p data-testid="program">{doc.programSceneId}</p>
      <p data-testid="preview">{String(doc.previewSceneId)}</p>
      {scenes.saveError && <p data-testid="save-error">{scenes.saveError}</p>}
      <input aria-label="Typing here" />
      <ScenesPanel doc={doc} change={change} />
      <SourcesPanel scene={edited} change={change} selectedId={null} onSelect={() => {}} />
      {modal && (
        <Dialog title="Modal" onCancel={() => {}} actions={<button type="button">OK</button>}>
          <p>open</p>
        </Dialog>
      )}
    </>
  );
}

/** main's side: validates like the scene store and remembers what was saved. */
function fakeMain(initial: ScenesDoc = defaultScenesDoc()) {
  let stored = initial;
  const saves: ScenesDoc[] = [];
  const fake = installFakeOnair({
    'scenes.get': async () => stored,
    'scenes.save': async (request) => {
      const parsed = scenesDocSchema.safeParse(request);
      if (!parsed.success) throw { code: 'scenes.invalid', message: 'invalid' };
      stored = parsed.data;
      saves.push(parsed.data);
      return parsed.data;
    },
  });
  return { fake, saves, stored: () => stored };
}

const names = () => screen.getAllByTestId('scene-row').map((row) => row.querySelector('.scene-name')?.textContent);
const addPreset = (label: string) => {
  fireEvent.change(screen.getByLabelText(en.scenes.addPreset), { target: { value: label } });
  fireEvent.click(screen.getByRole('button', { name: en.scenes.add }));
};
const key = (k: string, target: Element | Document = document.body) => fireEvent.keyDown(target, { key: k });

beforeEach(async () => {
  await setupTestI18n('en');
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('scenes UI', () => {
  it('loads, adds from presets, reorders, renames, deletes (never the last) and saves once after a burst of edits', async () => {
    const main = fakeMain();
    render(<Studio />);
    await waitFor(() => expect(names()).toEqual(['Camera']));
    expect(screen.getByRole('button', { name: `${en.scenes.remove}: Camera` }).hasAttribute('disabled')).toBe(true);

    addPreset('screen_pip');
    addPreset('starting_soon');
    expect(names()).toEqual(['Camera', 'Screen + camera', 'Starting soon']);
    expect(screen.getAllByTestId('scene-row').map((row) => row.querySelector('kbd')?.textContent)).toEqual(['1', '2', '3']);
    fireEvent.click(screen.getByRole('button', { name: `${en.scenes.moveUp}: Starting soon` }));
    expect(names()).toEqual(['Camera', 'Starting soon', 'Screen + camera']);

    fireEvent.click(screen.getByRole('button', { name: `${en.scenes.rename}: Camera` }));
    fireEvent.change(screen.getByLabelText(en.scenes.nameLabel), { target: { value: 'Face' } });
    fireEvent.click(screen.getByRole('button', { name: en.scenes.save }));
    expect(names()).toEqual(['Face', 'Starting soon', 'Screen + camera']);

    fireEvent.click(screen.getByRole('button', { name: `${en.scenes.remove}: Screen + camera` }));
    const dialog = screen.getByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: en.scenes.remove }));
    expect(names()).toEqual(['Face', 'Starting soon']);

    // Nothing saved yet: one save after the edits rest, with the whole document.
    expect(main.saves).toHaveLength(0);
    await waitFor(() => expect(main.saves).toHaveLength(1), { timeout: SAVE_DELAY_MS * 4 });
    expect(main.stored().scenes.map((scene) => scene.name)).toEqual(['Face', 'Starting soon']);
  });

  it('switches by click and by the keys 1–9; not while typing, not under a modal dialog, not for a missing scene', async () => {
    const start = defaultScenesDoc();
    fakeMain(start);
    const { rerender } = render(<Studio />);
    await waitFor(() => expect(names()).toEqual(['Camera']));
    addPreset('screen_pip');
    addPreset('starting_soon');
    key('2');
    expect(screen.getByTestId('program').textContent).toBe('screen-pip-1');
    key('3');
    expect(screen.getByTestId('program').textContent).toBe('starting-soon-1');
    key('9');
    expect(screen.getByTestId('program').textContent).toBe('starting-soon-1');
    fireEvent.keyDown(document.body, { key: '1', ctrlKey: true });
    expect(screen.getByTestId('program').textContent).toBe('starting-soon-1');
    // The keypad works; Shift+1 does not.
    fireEvent.keyDown(document.body, { key: '1', code: 'Numpad1' });
    expect(screen.getByTestId('program').textContent).toBe('camera');
    fireEvent.keyDown(document.body, { key: '!', code: 'Digit2', shiftKey: true });
    expect(screen.getByTestId('program').textContent).toBe('camera');

    key('2', screen.getByLabelText('Typing here'));
    expect(screen.getByTestId('program').textContent).toBe('camera');
    // A focused checkbox (a source's visibility) is not typing.
    key('2', screen.getByRole('checkbox', { name: `${en.sources.visible}: Camera` }));
    expect(screen.getByTestId('program').textContent).toBe('screen-pip-1');

    fireEvent.click(screen.getAllByTestId('scene-row')[0]!.querySelector('.scene-choose')!);
    expect(screen.getByTestId('program').textContent).toBe('camera');

    rerender(<Studio modal />);
    key('3');
    expect(screen.getByTestId('program').textContent).toBe('camera');
  });

  it('studio mode: keys choose the preview, T and Take put it on air', async () => {
    fakeMain();
    render(<Studio />);
    await waitFor(() => expect(names()).toEqual(['Camera']));
    addPreset('starting_soon');
    fireEvent.click(screen.getByRole('checkbox', { name: en.scenes.studioMode }));
    expect(screen.getByTestId('preview').textContent).toBe('camera');
    expect((screen.getByTestId('take-button') as HTMLButtonElement).disabled).toBe(true);
    key('2');
    expect([screen.getByTestId('program').textContent, screen.getByTestId('preview').textContent]).toEqual(['camera', 'starting-soon-1']);
    // The sources panel edits the preview scene.
    expect(screen.getByRole('heading', { name: en.sources.of.replace('{{scene}}', 'Starting soon') })).toBeTruthy();
    key('t');
    expect([screen.getByTestId('program').textContent, screen.getByTestId('preview').textContent]).toEqual(['starting-soon-1', 'camera']);
    fireEvent.click(screen.getByTestId('take-button'));
    expect(screen.getByTestId('program').textContent).toBe('camera');
    fireEvent.click(screen.getByRole('checkbox', { name: en.scenes.studioMode }));
    expect(screen.getByTestId('preview').textContent).toBe('null');
    expect(screen.queryByTestId('take-button')).toBeNull();
  });

  it('follows scenes.changed from another window, but not while its own edit waits to be saved', async () => {
    const main = fakeMain();
    render(<Studio />);
    await waitFor(() => expect(names()).toEqual(['Camera']));
    const other: ScenesDoc = { ...defaultScenesDoc(), scenes: [{ id: 'x', name: 'Elsewhere', items: [] }], programSceneId: 'x' };
    act(() => main.fake.emit('scenes.changed', other));
    expect(names()).toEqual(['Elsewhere']);

    addPreset('be_right_back');
    act(() => main.fake.emit('scenes.changed', other));
    expect(names()).toEqual(['Elsewhere', 'Be right back']);
    await waitFor(() => expect(main.saves).toHaveLength(1), { timeout: SAVE_DELAY_MS * 4 });
  });

  it('a refused save says why and goes back to what main kept', async () => {
    installFakeOnair({
      'scenes.get': async () => defaultScenesDoc(),
      'scenes.save': async () => {
        throw { code: 'scenes.too_large', message: 'too large' };
      },
    });
    render(<Studio />);
    await waitFor(() => expect(names()).toEqual(['Camera']));
    addPreset('side_by_side');
    expect(names()).toEqual(['Camera', 'Side by side']);
    await waitFor(() => expect(screen.getByTestId('save-error').textContent).toBe('scenes.too_large'), { timeout: SAVE_DELAY_MS * 4 });
    expect(names()).toEqual(['Camera']);
    expect(en.errors.scenes.too_large).toBeTruthy();
    expect(ja.errors.scenes.too_large).not.toBe(en.errors.scenes.too_large);
  });

  it('sources: add a text and a colour, hide, reorder, edit the text; an image too large is refused with a message', async () => {
    const main = fakeMain();
    render(<Studio />);
    await waitFor(() => expect(names()).toEqual(['Camera']));
    const kind = screen.getByLabelText(en.sources.addKind);
    fireEvent.change(kind, { target: { value: 'text' } });
    fireEvent.click(screen.getByRole('button', { name: en.sources.add }));
    fireEvent.change(kind, { target: { value: 'color' } });
    fireEvent.click(screen.getByRole('button', { name: en.sources.add }));
    const rows = () => screen.getAllByTestId('source-row').map((row) => row.querySelector('.source-name')?.textContent);
    // Top first, as drawn.
    expect(rows()).toEqual(['Colour (Colour)', 'Text (Text)', 'Camera (Camera)']);
    fireEvent.click(screen.getByRole('button', { name: `${en.sources.moveDown}: Colour` }));
    fireEvent.click(screen.getByRole('button', { name: `${en.sources.moveDown}: Colour` }));
    expect(rows()).toEqual(['Text (Text)', 'Camera (Camera)', 'Colour (Colour)']);
    fireEvent.click(screen.getByRole('checkbox', { name: `${en.sources.visible}: Camera` }));

    await waitFor(() => expect(main.saves.length).toBeGreaterThan(0), { timeout: SAVE_DELAY_MS * 4 });
    const items = main.stored().scenes[0]!.items;
    expect(items.map((item) => [item.kind, item.visible])).toEqual([
      ['color', true],
      ['camera', false],
      ['text', true],
    ]);

    // An image whose data URL would pass the bound is refused before it is read.
    const file = new File([new Uint8Array(Math.ceil((MAX_IMAGE_DATA_URL_LENGTH / 4) * 3) + 10)], 'huge.png', { type: 'image/png' });
    fireEvent.change(screen.getByTestId('image-file'), { target: { files: [file] } });
    await waitFor(() => expect(screen.getByTestId('sources-problem').textContent).toContain('This image is too large'));
    expect(main.stored().scenes[0]!.items).toHaveLength(3);
  });
});

describe('layout editor', () => {
  it('moves the focused source with the arrow keys (Shift ×10, Alt resizes) and snaps while dragging', async () => {
    let doc: ScenesDoc = defaultScenesDoc();
    doc = { ...doc, scenes: [{ ...doc.scenes[0]!, items: [{ ...doc.scenes[0]!.items[0]!, rect: { x: 0.2, y: 0.2, w: 0.3, h: 0.3 } }] }] };
    const change = (edit: (current: ScenesDoc) => ScenesDoc) => {
      doc = edit(doc);
    };
    const onSelect = vi.fn();
    const view = render(<LayoutEditor scene={doc.scenes[0]!} change={change} selectedId="camera-cam" onSelect={onSelect} />);
    const item = screen.getByTestId('layout-item');
    expect(item.style.left).toBe('20%');
    fireEvent.keyDown(item, { key: 'ArrowRight' });
    expect(doc.scenes[0]!.items[0]!.rect.x).toBeCloseTo(0.21, 9);
    fireEvent.keyDown(item, { key: 'ArrowDown', shiftKey: true });
    expect(doc.scenes[0]!.items[0]!.rect.y).toBeCloseTo(0.3, 9);
    fireEvent.keyDown(item, { key: 'ArrowLeft', altKey: true });
    expect(doc.scenes[0]!.items[0]!.rect.w).toBeCloseTo(0.29, 9);

    // A drag on a 1000×500 px frame.
    view.rerender(<LayoutEditor scene={doc.scenes[0]!} change={change} selectedId="camera-cam" onSelect={onSelect} />);
    const frame = screen.getByTestId('layout-editor');
    frame.getBoundingClientRect = () => ({ x: 0, y: 0, left: 0, top: 0, width: 1000, height: 500, right: 1000, bottom: 500, toJSON: () => ({}) });
    const start = doc.scenes[0]!.items[0]!.rect;
    fireEvent.pointerDown(screen.getByTestId('layout-item'), { button: 0, clientX: 300, clientY: 200, pointerId: 1 });
    // Left edge from 0.21 to 0.005: within 1 % of the frame's edge, it lands on 0 with a guide.
    fireEvent.pointerMove(frame, { clientX: 300 - (start.x - 0.005) * 1000, clientY: 200, pointerId: 1 });
    expect(doc.scenes[0]!.items[0]!.rect.x).toBe(0);
    view.rerender(<LayoutEditor scene={doc.scenes[0]!} change={change} selectedId="camera-cam" onSelect={onSelect} />);
    expect(screen.getAllByTestId('layout-guide').length).toBeGreaterThan(0);
    fireEvent.pointerUp(frame, { pointerId: 1 });
    expect(screen.queryAllByTestId('layout-guide')).toHaveLength(0);
    expect(onSelect).toHaveBeenCalledWith('camera-cam');
  });
});
