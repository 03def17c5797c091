/**
 * Chromium's own account of a process's memory, by allocator (its "memory-infra" dumps, as
 * chrome://tracing shows them): V8 per isolate (the page and each worker), Blink's GC heap, malloc,
 * PartitionAlloc, media, the image decode cache, shared memory. Used by `bench:soak --memory-dumps-every-min`
 * to say *where* a renderer's RSS goes, not only that it grows.
 *
 * One dump = a short trace with only the `disabled-by-default-memory-infra` category, one
 * `Tracing.requestMemoryDump`, then the trace's memory-dump events (`ph: 'v'`) read back.
 */

/** Sizes in the dump are hex strings ("0x1a2b"); some entries carry none. */
const sizeOf = (entry) => {
  const v = entry?.attrs?.size?.value;
  return typeof v === 'string' ? parseInt(v, 16) : null;
};

/**
 * Allocator sizes in MB for one process, keyed by dump name cut to `depth` parts ("v8/main",
 * "partition_alloc/partitions"...). A cut name's size is the largest of: its own entry's size, or the
 * sum of its children's (Chromium fills a parent's size in only for some allocators).
 */
export function allocatorTotals(allocators, depth = 2) {
  const own = new Map();
  for (const [name, entry] of Object.entries(allocators)) {
    const size = sizeOf(entry);
    if (size !== null) own.set(name, size);
  }
  const out = {};
  const prefixes = new Set([...own.keys()].flatMap((n) => n.split('/').slice(0, depth).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  for (const prefix of [...prefixes].sort()) {
    // The entry's own size, or its descendants' that have no sized ancestor below `prefix`, whichever is larger.
    const below = [...own.keys()].filter((n) => n.startsWith(`${prefix}/`));
    const outermost = below.filter((n) => !below.some((m) => m !== n && n.startsWith(`${m}/`)));
    const total = Math.max(own.get(prefix) ?? 0, outermost.reduce((a, n) => a + own.get(n), 0));
    out[prefix] = Math.round((total / 1048576) * 10) / 10;
  }
  return out;
}

/**
 * Takes one memory dump of every Chromium process and returns `{ [pid]: { allocator: MB } }`.
 * `cdp` is a Playwright browser-level CDP session (`browser.newBrowserCDPSession()`).
 */
export async function memoryDump(cdp, depth = 2) {
  const events = [];
  const onData = ({ value }) => events.push(...value);
  cdp.on('Tracing.dataCollected', onData);
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  try {
    await cdp.send('Tracing.start', {
      transferMode: 'ReportEvents',
      traceConfig: { includedCategories: ['disabled-by-default-memory-infra'], excludedCategories: ['*'], memoryDumpConfig: { triggers: [] } },
    });
    await cdp.send('Tracing.requestMemoryDump', { deterministic: false, levelOfDetail: 'detailed' });
    await cdp.send('Tracing.end');
    await complete;
  } finally {
    cdp.off('Tracing.dataCollected', onData);
  }
  const byPid = {};
  for (const e of events) {
    const allocators = e.ph === 'v' ? e.args?.dumps?.allocators : undefined;
    if (allocators) byPid[e.pid] = { ...byPid[e.pid], ...allocatorTotals(allocators, depth) };
  }
  return byPid;
}
