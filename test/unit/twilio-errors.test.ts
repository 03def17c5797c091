import { describe, expect, it } from 'vitest';
import { backoff, isCollection, rewriteForOrigin, splitTwilioUrl } from '../../src/main/core/twilio/request-client';
import { fromNetworkFailure, fromTwilioAnswer } from '../../src/main/core/twilio/twilio-errors';
import { ERROR_CODES } from '../../src/shared/errors';
import en from '../../src/shared/locales/en';
import ja from '../../src/shared/locales/ja';

describe('Twilio errors become studio errors', () => {
  it.each([
    [401, 20003, 'video', 'twilio.auth'],
    [404, 20404, 'sync', 'twilio.not_found'],
    [429, 20429, 'video', 'twilio.rate_limited'],
    [400, 53113, 'video', 'twilio.room_exists'],
    [400, 53118, 'video', 'twilio.room_completed'],
    [404, 54100, 'sync', 'twilio.document_not_found'],
    [412, 54103, 'sync', 'twilio.revision_mismatch'],
    [409, 54301, 'sync', 'twilio.document_exists'],
    [429, 58001, 'media', 'twilio.streamer_quota'],
    [429, 58002, 'media', 'twilio.processor_quota'],
    [503, undefined, 'video', 'twilio.server_error'],
    [400, 21234, 'video', 'twilio.bad_request'],
  ] as const)('%i / %s on %s → %s', (status, code, domain, expected) => {
    const error = fromTwilioAnswer(status, code, domain, '/v1/Whatever/XX');
    expect(error.code).toBe(expected);
    expect(error.details).toMatchObject({ status });
  });

  it('names the retirement of Twilio Live for a missing Media v1 collection only', () => {
    expect(fromTwilioAnswer(404, 20404, 'media', '/v1/PlayerStreamers').code).toBe('twilio.live_retired');
    expect(fromTwilioAnswer(404, 20404, 'media', '/v1/MediaProcessors').code).toBe('twilio.live_retired');
    expect(fromTwilioAnswer(404, 20404, 'media', `/v1/PlayerStreamers/VJ${'0'.repeat(32)}`).code).toBe('twilio.not_found');
    expect(fromTwilioAnswer(404, 20404, 'video', '/v1/Rooms').code).toBe('twilio.not_found');
  });

  it('tells a timeout from a network failure', () => {
    expect(fromNetworkFailure(Object.assign(new Error('x'), { code: 'ECONNABORTED' })).code).toBe('twilio.timeout');
    expect(fromNetworkFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).code).toBe('twilio.network');
    expect(fromNetworkFailure(Object.assign(new Error('x'), { code: 'ENOTFOUND' })).code).toBe('twilio.network');
  });

  it('has a message in English and in Japanese for every error code', () => {
    const lookup = (messages: object, code: string) =>
      code.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], (messages as { errors: object }).errors);
    for (const code of ERROR_CODES) {
      expect(typeof lookup(en, code), `en errors.${code}`).toBe('string');
      expect(typeof lookup(ja, code), `ja errors.${code}`).toBe('string');
    }
  });
});

describe('request plumbing', () => {
  it('rewrites Twilio hosts to the origin and leaves other URLs alone', () => {
    expect(rewriteForOrigin('https://video.twilio.com/v1/Rooms?Status=in-progress', 'http://127.0.0.1:4010')).toBe(
      'http://127.0.0.1:4010/video/v1/Rooms?Status=in-progress',
    );
    expect(rewriteForOrigin('https://media.twilio.com/v1/PlayerStreamers', undefined)).toBe('https://media.twilio.com/v1/PlayerStreamers');
    expect(rewriteForOrigin('http://127.0.0.1:4010/video/v1/Rooms?Page=1', 'http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010/video/v1/Rooms?Page=1');
    expect(splitTwilioUrl('https://sync.twilio.com/v1/Services/IS1/Documents')).toMatchObject({ domain: 'sync', path: '/v1/Services/IS1/Documents' });
    expect(splitTwilioUrl('http://127.0.0.1:4010/media/v1/PlayerStreamers')).toMatchObject({ domain: 'media', path: '/v1/PlayerStreamers' });
  });

  it('tells collections (creates) from instances (updates)', () => {
    expect(isCollection('/v1/Rooms')).toBe(true);
    expect(isCollection(`/v1/Services/IS${'a'.repeat(32)}/Documents`)).toBe(true);
    expect(isCollection(`/v1/Services/IS${'a'.repeat(32)}/Documents/streaming_info`)).toBe(false);
    expect(isCollection(`/v1/MediaProcessors/ZX${'a'.repeat(32)}`)).toBe(false);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4].map((attempt) => backoff(policy, attempt, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoff(policy, 3, () => 0)).toBe(0);
    expect(backoff(policy, 2, () => 0.5)).toBe(200);
  });
});
