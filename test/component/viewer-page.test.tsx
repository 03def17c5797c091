import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * The viewer page ("Share the player on my network") when the studio turns it away: it says so
 * plainly in en and ja, sends its own id with each token request, and tries again by itself.
 */
const PAGE = readFileSync(join(__dirname, '../../src/guest/watch/index.html'), 'utf8');

async function openPage(answers: Array<{ status: number; body: unknown }>) {
  document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(PAGE)![1]!;
  const asked: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      asked.push(url);
      const answer = answers[Math.min(asked.length - 1, answers.length - 1)]!;
      return new Response(JSON.stringify(answer.body), { status: answer.status });
    }),
  );
  vi.resetModules();
  await import('../../src/guest/watch/viewer');
  const state = () => document.querySelector<HTMLElement>('[data-testid="viewer-state"]')!;
  return { asked, state };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('the viewer page', () => {
  it('says the stream is full (en, then ja) and tries again by itself with the same viewer id', async () => {
    vi.useFakeTimers();
    Object.defineProperty(navigator, 'languages', { value: ['en-US'], configurable: true });
    const { asked, state } = await openPage([
      { status: 503, body: { error: 'full' } },
      { status: 404, body: { error: 'not_live' } },
    ]);
    await vi.waitFor(() => expect(state().dataset.state).toBe('full'));
    expect(state().textContent).toBe('This stream is full. Please try again later — this page tries again by itself.');
    document.getElementById('language')!.click();
    expect(state().textContent).toBe('この配信は満員です。しばらくしてからもう一度お試しください(このページは自動で再試行します)。');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/^\.\/token\?viewer=[0-9a-f]{32}$/);

    await vi.advanceTimersByTimeAsync(10_000);
    await vi.waitFor(() => expect(state().dataset.state).toBe('waiting'));
    expect(asked).toHaveLength(2);
    expect(asked[1]).toBe(asked[0]);
  });

  it('says so when this device asks too often', async () => {
    vi.useFakeTimers();
    Object.defineProperty(navigator, 'languages', { value: ['en-US'], configurable: true });
    const { state } = await openPage([{ status: 429, body: { error: 'too_many_requests' } }]);
    await vi.waitFor(() => expect(state().dataset.state).toBe('busy'));
    expect(state().textContent).toBe('Too many requests from this device. Trying again shortly…');
  });
});
