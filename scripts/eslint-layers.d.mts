/** Types of scripts/eslint-layers.mjs (the layering lint rule), for its test. */
export interface Layer {
  layer: string;
  folder: string;
  may: string[];
}
export declare const LAYERS: Layer[];
export declare function layerOf(path: string, root: string, layers?: Layer[]): Layer | null;
declare const plugin: { meta: { name: string }; rules: Record<string, unknown> };
export default plugin;
