import { describe, expect, it } from 'vitest';
import * as model from '../../src/renderer/scenes/scene-model';
import { defaultScenesDoc, MAX_ITEMS_PER_SCENE, MAX_SCENES, type ScenesDoc, scenesDocSchema } from '../../src/shared/scenes';

/** Every document the model makes is one main accepts. */
const valid = (doc: ScenesDoc) => {
  const parsed = scenesDocSchema.safeParse(doc);
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
  return doc;
};

/** Camera (1), Screen + camera (2), Starting soon (3). */
function three(): ScenesDoc {
  let doc = defaultScenesDoc();
  doc = model.addScene(doc, 'screen_pip', 'Screen + camera');
  doc = model.addScene(doc, 'starting_soon', 'Starting soon', 'まもなく開始します');
  return valid(doc);
}
const names = (doc: ScenesDoc) => doc.scenes.map((scene) => scene.name);

describe('scene model: scenes', () => {
  it('adds scenes from presets with fresh ids, the card text in the chosen language', () => {
    const doc = three();
    expect(names(doc)).toEqual(['Camera', 'Screen + camera', 'Starting soon']);
    expect(doc.scenes.map((scene) => scene.id)).toEqual(['camera', 'screen-pip-1', 'starting-soon-1']);
    expect(doc.scenes[1]!.items.map((item) => item.kind)).toEqual(['screen', 'camera']);
    const title = doc.scenes[2]!.items.find((item) => item.kind === 'text');
    expect(title && title.kind === 'text' ? title.text : null).toBe('まもなく開始します');
    // A second scene of the same preset gets its own id (and its items their own ids).
    const again = valid(model.addScene(doc, 'screen_pip', 'Screen + camera'));
    expect(again.scenes[3]!.id).toBe('screen-pip-2');
    const itemIds = again.scenes.flatMap((scene) => scene.items.map((item) => item.id));
    expect(new Set(itemIds).size).toBe(itemIds.length);
  });

  it('stops at the scene limit', () => {
    let doc = defaultScenesDoc();
    for (let n = 0; n < MAX_SCENES + 3; n += 1) doc = model.addScene(doc, 'camera', `Cam ${n}`);
    expect(doc.scenes).toHaveLength(MAX_SCENES);
    expect(model.canAddScene(doc)).toBe(false);
    valid(doc);
  });

  it('renames (trimmed, never empty)', () => {
    const doc = model.renameScene(three(), 'camera', '  Face cam  ');
    expect(doc.scenes[0]!.name).toBe('Face cam');
    expect(model.renameScene(doc, 'camera', '   ')).toBe(doc);
  });

  it('reorders, and the hotkey numbers follow the order', () => {
    const doc = model.moveScene(three(), 'starting-soon-1', 0);
    expect(names(doc)).toEqual(['Starting soon', 'Camera', 'Screen + camera']);
    expect(model.chooseByNumber(doc, 1).programSceneId).toBe('starting-soon-1');
    expect(model.moveScene(doc, 'camera', 99).scenes.at(-1)!.id).toBe('camera');
    expect(model.moveScene(doc, 'nope', 0)).toBe(doc);
  });

  it('removes a scene but never the last; the program moves to a neighbour', () => {
    let doc = model.switchProgram(three(), 'screen-pip-1');
    doc = valid(model.removeScene(doc, 'screen-pip-1'));
    expect(names(doc)).toEqual(['Camera', 'Starting soon']);
    expect(doc.programSceneId).toBe('starting-soon-1');
    doc = valid(model.removeScene(doc, 'starting-soon-1'));
    expect(doc.programSceneId).toBe('camera');
    expect(model.removeScene(doc, 'camera')).toBe(doc);
  });

  it('hotkeys 1–9 switch the program to scene n; other numbers and missing scenes do nothing', () => {
    const doc = three();
    expect(model.chooseByNumber(doc, 2).programSceneId).toBe('screen-pip-1');
    expect(model.chooseByNumber(model.chooseByNumber(doc, 2), 1).programSceneId).toBe('camera');
    expect(model.chooseByNumber(doc, 4)).toBe(doc);
    expect(model.chooseByNumber(doc, 0)).toBe(doc);
    expect(model.chooseByNumber(doc, 10)).toBe(doc);
  });

  it('sets the transition, the fade length kept within bounds', () => {
    expect(model.setTransition(three(), 'cut').transition).toEqual({ kind: 'cut', durationMs: 300 });
    expect(model.setTransition(three(), 'fade', 50).transition.durationMs).toBe(100);
    expect(model.setTransition(three(), 'fade', 9000).transition.durationMs).toBe(2000);
    valid(model.setTransition(three(), 'fade', 750));
  });
});

describe('scene model: studio mode', () => {
  it('prepares the preview while the program stays, then takes it (swapping)', () => {
    let doc = model.setStudioMode(three(), true);
    expect(doc.previewSceneId).toBe('camera');
    expect(model.editedScene(doc).id).toBe('camera');
    doc = model.chooseByNumber(doc, 3);
    expect([doc.programSceneId, doc.previewSceneId]).toEqual(['camera', 'starting-soon-1']);
    expect(model.editedScene(doc).id).toBe('starting-soon-1');
    doc = valid(model.take(doc));
    expect([doc.programSceneId, doc.previewSceneId]).toEqual(['starting-soon-1', 'camera']);
    // Take with the same scene in both does nothing; studio mode off keeps only the program.
    expect(model.take(model.setPreview(doc, 'starting-soon-1'))).toEqual(model.setPreview(doc, 'starting-soon-1'));
    const off = valid(model.setStudioMode(doc, false));
    expect([off.programSceneId, off.previewSceneId]).toEqual(['starting-soon-1', null]);
    expect(model.take(off)).toBe(off);
  });

  it('removing the preview scene moves the preview too', () => {
    let doc = model.setPreview(model.setStudioMode(three(), true), 'starting-soon-1');
    doc = valid(model.removeScene(doc, 'starting-soon-1'));
    expect(doc.previewSceneId).toBe('screen-pip-1');
  });
});

describe('scene model: sources', () => {
  it('adds each kind on top, centred, and stops at the limit', () => {
    let doc = three();
    doc = model.addItem(doc, 'camera', { kind: 'text', name: 'Title', text: 'Hello' });
    doc = model.addItem(doc, 'camera', { kind: 'color', name: 'Bg', color: '#112233' });
    doc = model.addItem(doc, 'camera', { kind: 'screen', name: 'Screen' });
    doc = model.addItem(doc, 'camera', { kind: 'image', name: 'Logo', src: 'data:image/png;base64,iVBORw0KGgo=' });
    valid(doc);
    const items = doc.scenes[0]!.items;
    expect(items.map((item) => item.kind)).toEqual(['camera', 'text', 'color', 'screen', 'image']);
    expect(items[3]!.rect).toEqual({ x: 0.25, y: 0.25, w: 0.5, h: 0.5 });
    for (let n = 0; n < MAX_ITEMS_PER_SCENE; n += 1) doc = model.addItem(doc, 'camera', { kind: 'camera', name: 'Cam' });
    expect(doc.scenes[0]!.items).toHaveLength(MAX_ITEMS_PER_SCENE);
    valid(doc);
  });

  it('reorders, hides, removes', () => {
    let doc = model.addItem(three(), 'screen-pip-1', { kind: 'text', name: 'T', text: 'x' });
    const scene = () => doc.scenes[1]!;
    const ids = scene().items.map((item) => item.id);
    doc = model.moveItem(doc, 'screen-pip-1', ids[2]!, 0);
    expect(scene().items.map((item) => item.id)).toEqual([ids[2], ids[0], ids[1]]);
    doc = model.setVisible(doc, 'screen-pip-1', ids[0]!, false);
    expect(scene().items.find((item) => item.id === ids[0])!.visible).toBe(false);
    expect(model.setVisible(doc, 'screen-pip-1', ids[0]!, false)).toBe(doc);
    doc = valid(model.removeItem(doc, 'screen-pip-1', ids[1]!));
    expect(scene().items.map((item) => item.id)).toEqual([ids[2], ids[0]]);
  });

  it('sets rect and crop within what main accepts', () => {
    let doc = three();
    const cam = doc.scenes[1]!.items[1]!.id;
    doc = model.setRect(doc, 'screen-pip-1', cam, { x: 0.5, y: 0.5, w: 0, h: 9 });
    expect(doc.scenes[1]!.items[1]!.rect).toEqual({ x: 0.5, y: 0.5, w: 0.01, h: 3 });
    doc = model.setCrop(doc, 'screen-pip-1', cam, { left: 0.6, top: 0.1, right: 0.6, bottom: 0 });
    const crop = doc.scenes[1]!.items[1]!.crop;
    expect(crop.left + crop.right).toBeLessThan(0.95);
    valid(doc);
  });

  it('edits a text and a colour source; fields of other kinds are ignored', () => {
    let doc = model.addItem(three(), 'camera', { kind: 'text', name: 'T', text: 'x' });
    const text = doc.scenes[0]!.items[1]!.id;
    doc = model.editItem(doc, 'camera', text, { text: 'Live now', color: '#ff0000', background: null, size: 0.9 });
    const item = doc.scenes[0]!.items[1]!;
    expect(item.kind === 'text' && [item.text, item.color, item.background, item.size]).toEqual(['Live now', '#ff0000', null, 0.5]);
    const cam = doc.scenes[0]!.items[0]!.id;
    expect(model.editItem(doc, 'camera', cam, { color: '#00ff00' })).toBe(doc);
    valid(doc);
  });

  it('keeps every unchanged object the same, so React skips the work', () => {
    const doc = three();
    expect(model.switchProgram(doc, 'camera')).toBe(doc);
    expect(model.setRect(doc, 'camera', 'camera-cam', { x: 0, y: 0, w: 1, h: 1 })).toBe(doc);
    const moved = model.setRect(doc, 'camera', 'camera-cam', { x: 0.1, y: 0, w: 1, h: 1 });
    expect(moved.scenes[1]).toBe(doc.scenes[1]);
  });
});
