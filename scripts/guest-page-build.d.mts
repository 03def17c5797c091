export const HOSTED_GUEST_PAGE_CSP: string;
export function buildGuestPage(options: { outDir: string; hosted?: boolean }): Promise<void>;
