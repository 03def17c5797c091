import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs module of the benchmarks, without types
import { allocatorTotals } from '../../bench/memory-dump.mjs';

const mb = (n: number) => ({ attrs: { size: { type: 'scalar', units: 'bytes', value: (n * 1048576).toString(16) } } });

describe('allocatorTotals (memory-infra dumps, by allocator)', () => {
  it('adds children up where a parent carries no size, keeps a parent size bigger than its children, and leaves entries without a size out', () => {
    const totals = allocatorTotals(
      {
        'v8/main/heap/old_space': mb(10),
        'v8/main/heap/new_space': mb(2),
        'v8/workers/heap_0x1/old_space': mb(3),
        malloc: mb(50),
        'malloc/allocated_objects': mb(30),
        'media/sizeless': { attrs: {} },
      },
      2,
    );
    expect(totals).toEqual({ v8: 15, 'v8/main': 12, 'v8/workers': 3, malloc: 50, 'malloc/allocated_objects': 30 });
  });
});
