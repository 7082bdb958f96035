/**
 * Stateless seeded randomness: a hash of (seed, index, stream) → [0, 1). Pure, so a policy's or a fault
 * injector's choices depend only on their inputs (the request's seed, the turn index), never on call order.
 */

/** A 32-bit integer mix (murmur3's finaliser) of the inputs. */
function mix(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    // Fold in both halves of values up to 2^53 so large seeds stay distinct.
    for (const part of [v >>> 0, Math.floor(v / 2 ** 32) >>> 0]) {
      h = Math.imul(h ^ part, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}

/** A number in [0, 1) determined by (seed, index, stream). */
export function unitInterval(seed: number, index: number, stream: number): number {
  return mix(seed, index, stream) / 2 ** 32;
}
