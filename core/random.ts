/**
 * Deterministic randomness. Every draw of the algorithm is a pure function of a key such as
 * (experiment seed, iteration, episode, turn), so a retried or replayed step draws the same value and a
 * crashed run resumed with the same seed makes the same choices. Safe in workflow code (no global state).
 */

/** A 53-bit hash of the key's parts (cyrb53 mixing over the joined string). */
export function hashKey(parts: readonly (string | number)[]): number {
  const text = parts.map(String).join('\u001f');
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A uniform draw in [0, 1) determined by the key. */
export function uniform(parts: readonly (string | number)[]): number {
  return hashKey(parts) / 2 ** 53;
}

/** A uniform integer in {lo, …, hi} determined by the key. */
export function uniformInt(parts: readonly (string | number)[], lo: number, hi: number): number {
  if (hi < lo) throw new RangeError(`uniformInt: empty range {${lo}…${hi}}`);
  return lo + Math.floor(uniform(parts) * (hi - lo + 1));
}

/** A 31-bit integer seed for a model request (OpenAI `seed`), determined by the key. */
export function requestSeed(parts: readonly (string | number)[]): number {
  return hashKey(parts) % 2147483647;
}

/** The items in an order determined by the key (Fisher–Yates with keyed draws). */
export function shuffled<T>(items: readonly T[], parts: readonly (string | number)[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = uniformInt([...parts, 'shuffle', i], 0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
