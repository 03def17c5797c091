/** Types of compositor-page.mjs (for the e2e test). */
export function serveCompositorPage(outDir: string): Promise<{ url: string; close: () => Promise<void> }>;
