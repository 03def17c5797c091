/** The connection address of an ICE candidate line (`candidate:<foundation> <component> <protocol> <priority> <address> <port> typ …`), or null. */
export function candidateAddress(candidate: string): string | null {
  const parts = candidate.replace(/^a=/, '').split(' ');
  return parts[0]?.startsWith('candidate:') && parts.length >= 8 ? (parts[4] ?? null) : null;
}

export const isLoopback = (address: string) => /^127\./.test(address) || address === '::1' || address === 'localhost';

/**
 * Whether to signal a local candidate when media should stay on `address`'s network: the studio
 * offers only candidates on the address it shares on (the network the user chose); a peer that
 * reached the studio over loopback offers only loopback candidates. Other addresses pass.
 */
export function candidateAllowed(candidate: string, address: string | null): boolean {
  if (!address) return true;
  const own = candidateAddress(candidate);
  if (own === null) return false;
  if (isLoopback(address)) return isLoopback(own);
  return own === address;
}
