/** The program compositor (issue 12): draws scenes from live sources into the program track. */
export { Compositor, compositorSupported, type CompositorEngine, type LiveSources } from './compositor';
export { type CompositorStats } from './frame-stats';
export { type Transition } from './renderer';
export { ScenePreview, type ScenePreviewProps } from './ScenePreview';
export { type CompositorHandle, useCompositor, type UseCompositorOptions } from './use-compositor';
