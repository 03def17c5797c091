import type { Player } from '@twilio/live-player-sdk';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { release } from '../../src/renderer/player/use-preview-player';

/** The SDK's Player as far as `release` uses it: an emitter like the SDK's (an `error` event nobody hears throws). */
class FakePlayer extends EventEmitter {
  state = 'playing';
  disconnects = 0;
  disconnect() {
    this.disconnects += 1;
    this.state = 'ended';
  }
}

describe('release (the preview player stopping a player)', () => {
  it('drops the studio’s listeners, disconnects, and an error the released player reports later is not thrown', () => {
    const player = new FakePlayer();
    let heard = 0;
    player.on('stateChanged', () => (heard += 1));
    release(player as unknown as Player);
    expect(player.disconnects).toBe(1);
    player.emit('stateChanged', 'playing');
    expect(heard).toBe(0);
    // What the SDK does when its vendor player reports "no source" after the disconnect.
    expect(() => player.emit('error', new Error('There is no source for the Player to play'))).not.toThrow();
  });

  it('does not disconnect a player that ended by itself (the SDK throws on a second disconnect)', () => {
    const player = new FakePlayer();
    player.state = 'ended';
    release(player as unknown as Player);
    expect(player.disconnects).toBe(0);
    expect(() => player.emit('error', new Error('late'))).not.toThrow();
  });
});
