/**
 * Stream keys are secrets: every text an RTMP output lets out (log lines, error messages, state
 * events, health) goes through a masker that knows the key, so the key cannot leak even when
 * ffmpeg prints the full publish URL.
 */

/** What a key looks like once masked: its last four characters for long keys, nothing for short ones. */
export function maskKey(key: string): string {
  return key.length >= 16 ? `••••${key.slice(-4)}` : '••••';
}

/** Replaces every occurrence of the key (as is and URL-encoded) in a text. */
export function keyMasker(key: string): (text: string) => string {
  const forms = [...new Set([key, encodeURIComponent(key), encodeURI(key)])].filter((form) => form.length > 0);
  // Longest first, so an encoded form that contains the raw key is replaced whole.
  forms.sort((a, b) => b.length - a.length);
  const masked = maskKey(key);
  return (text: string) => {
    let out = text;
    for (const form of forms) out = out.split(form).join(masked);
    return out;
  };
}

/** The publish URL: server URL (rtmp[s]://host[:port]/app[/…]) + `/` + key. */
export function publishUrl(serverUrl: string, key: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/${key}`;
}
