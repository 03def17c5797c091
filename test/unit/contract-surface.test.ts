import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { buildApi } from '../../src/shared/api-surface';
import { CHANNEL_NAMES, contract, EVENT_NAMES } from '../../src/shared/contract';

/**
 * Every IPC change shows up in review as a change of this snapshot: the channel
 * list, the exposed `window.onair` shape and each schema as JSON Schema.
 */
describe('IPC contract surface', () => {
  it('matches the reviewed snapshot', () => {
    const api = buildApi(async () => ({ ok: true, value: null }), () => () => {});
    const surface = {
      channels: Object.fromEntries(
        CHANNEL_NAMES.map((name) => [
          name,
          {
            request: z.toJSONSchema(contract.invoke[name].request, { unrepresentable: 'any' }),
            response: z.toJSONSchema(contract.invoke[name].response, { unrepresentable: 'any' }),
          },
        ]),
      ),
      events: Object.fromEntries(EVENT_NAMES.map((name) => [name, z.toJSONSchema(contract.events[name])])),
      windowOnair: Object.fromEntries(
        Object.entries(api).map(([key, value]) => [key, typeof value === 'function' ? 'function' : Object.keys(value as object).sort()]),
      ),
    };
    expect(surface).toMatchSnapshot();
  });

  it('exposes one frozen object whose methods call the matching channel', async () => {
    const invoke = vi.fn(async () => ({ ok: true as const, value: 'x' }));
    const api = buildApi(invoke, () => () => {});
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.settings)).toBe(true);
    await api.settings.update({ roomName: 'studio-a' });
    await api.app.info();
    expect(invoke.mock.calls).toEqual([
      ['settings.update', { roomName: 'studio-a' }],
      ['app.info', undefined],
    ]);
    expect(() => {
      (api as unknown as Record<string, unknown>).extra = 1;
    }).toThrow(TypeError);
  });

  it('only subscribes to declared events', () => {
    const subscribe = vi.fn(() => () => {});
    const api = buildApi(async () => ({ ok: true, value: null }), subscribe);
    const off = api.on('settings.changed', () => {});
    expect(typeof off).toBe('function');
    expect(subscribe).toHaveBeenCalledWith('settings.changed', expect.any(Function));
    expect(() => api.on('ipc.raw' as never, () => {})).toThrow(/Unknown OnAir event/);
  });
});
