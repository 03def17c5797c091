import { describe, expect, it } from 'vitest';
import { FrameGrid } from '../../src/renderer/program/encoder/frame-grid';

const SLOT = 1_000_000 / 30;

describe('program encoder frame grid (constant frame rate)', () => {
  it('frames on time take consecutive slots on the grid, with nothing to repeat', () => {
    const grid = new FrameGrid(30);
    const jitter = [0, 4_000, -3_000, 2_000, 0];
    const placed = jitter.map((j, i) => grid.place(1_000_000 + i * SLOT + j));
    expect(placed.map((p) => p!.timestampUs)).toEqual([0, 1, 2, 3, 4].map((i) => Math.round(1_000_000 + i * SLOT)));
    expect(placed.every((p) => p!.repeatAtUs.length === 0)).toBe(true);
  });

  it('a frame that comes two slots late gets the two empty slots before it to repeat the last picture at', () => {
    const grid = new FrameGrid(30);
    grid.place(0);
    grid.place(SLOT);
    const late = grid.place(4 * SLOT + 1_000)!;
    expect(late.timestampUs).toBe(Math.round(4 * SLOT));
    expect(late.repeatAtUs).toEqual([Math.round(2 * SLOT), Math.round(3 * SLOT)]);
    expect(grid.place(5 * SLOT)!.repeatAtUs).toEqual([]);
  });

  it('a camera faster than the preset keeps one frame per slot', () => {
    const grid = new FrameGrid(30);
    const sixty = Array.from({ length: 12 }, (_, i) => grid.place((i * 1_000_000) / 60));
    const kept = sixty.filter((p) => p !== null);
    expect(kept).toHaveLength(6);
    expect(kept.map((p) => p.timestampUs)).toEqual([0, 1, 2, 3, 4, 5].map((i) => Math.round(i * SLOT)));
    expect(kept.every((p) => p.repeatAtUs.length === 0)).toBe(true);
  });

  it('a frame early within a slot still moves on by one slot, so the grid never goes backwards', () => {
    const grid = new FrameGrid(30);
    grid.place(0);
    const early = grid.place(0.8 * SLOT)!;
    expect(early.timestampUs).toBe(Math.round(SLOT));
    expect(grid.place(2 * SLOT)!.timestampUs).toBe(Math.round(2 * SLOT));
  });

  it('a stall longer than the fill limit stays a gap (nothing repeated), and the grid goes on after it', () => {
    const grid = new FrameGrid(30, 15);
    grid.place(0);
    const afterStall = grid.place(40 * SLOT)!;
    expect(afterStall.repeatAtUs).toEqual([]);
    expect(afterStall.timestampUs).toBe(Math.round(40 * SLOT));
    expect(grid.place(42 * SLOT)!.repeatAtUs).toEqual([Math.round(41 * SLOT)]);
  });
});
