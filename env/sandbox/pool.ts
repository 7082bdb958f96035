/**
 * The warm pool: containers created and started ahead of time per sandbox spec, so `create()` hands one out
 * at once instead of waiting ≈ 200 ms for create+start+setup on the episode's critical path.
 *
 * Docker labels cannot change after creation, so stock is created without the caller's labels and claimed
 * later: the claim (the caller's labels) is written into the container (CLAIM_PATH) and `list(labels)`
 * reads it there (docs/sandbox.md). Unclaimed stock removes itself after `idleS` (its main process waits
 * for the claim, then becomes the usual `sleep <lifetimeS>`), so even a killed host process leaks nothing
 * for long. Pure bookkeeping here; docker.ts does the Docker calls.
 */
import { AGENT_DIR } from './session';
import type { SandboxSpec } from './spec';

export interface PoolOptions {
  /** Ready containers kept per spec (0: no pool). */
  size: number;
  /** Unclaimed stock removes itself after this many seconds (default 300). */
  idleS?: number;
}

export const DEFAULT_POOL_IDLE_S = 300;
/** The claim record: the labels the caller asked for, as JSON. */
export const CLAIM_PATH = `${AGENT_DIR}/claim.json`;
/** Stock this close to its idle end is not handed out (it could vanish while being claimed). */
const EXPIRY_MARGIN_MS = 10_000;
/** Containers a refill creates at once. */
const REFILL_AT_ONCE = 4;

/** What makes two specs interchangeable: everything but the labels and the name. Pure. */
export function poolKey(spec: SandboxSpec): string {
  const env = Object.entries(spec.env ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const limits = Object.entries(spec.limits).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([spec.image, spec.workdir, spec.user ?? null, env, limits]);
}

/**
 * The stock container's main process: wait for a claim, removing itself (exit → AutoRemove) after
 * `idleS` without one; once claimed, the lifetime starts. Plain sh, as every image has it.
 */
export function stockCommand(idleS: number, lifetimeS: number): string[] {
  const idle = Math.max(1, Math.ceil(idleS));
  return ['sh', '-c', `n=0; while [ ! -e ${CLAIM_PATH} ]; do [ "$n" -ge ${idle} ] && exit 0; sleep 1; n=$((n+1)); done; exec sleep ${Math.ceil(lifetimeS)}`];
}

/** Whether a claim record (or, for stock never claimed, none) carries all `wanted` labels. Pure. */
export function claimMatches(claim: Record<string, string> | undefined, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([k, v]) => claim?.[k] === v);
}

interface Stock {
  id: string;
  readyAt: number;
}

/** Ready containers per spec key, with the refills in flight. */
export class WarmPool {
  private readonly stock = new Map<string, Stock[]>();
  private readonly filling = new Map<string, Promise<void>>();
  private closed = false;
  readonly idleS: number;

  constructor(readonly size: number, idleS: number | undefined, private readonly make: (spec: SandboxSpec) => Promise<string>, private readonly discard: (id: string) => Promise<void>) {
    this.idleS = idleS ?? DEFAULT_POOL_IDLE_S;
  }

  /** A ready container for this spec, or undefined (the caller creates one); starts refilling either way. */
  take(spec: SandboxSpec): string | undefined {
    const key = poolKey(spec);
    const ready = this.stock.get(key) ?? [];
    let taken: string | undefined;
    while (ready.length > 0 && taken === undefined) {
      const s = ready.shift()!;
      if (Date.now() - s.readyAt < this.idleS * 1000 - EXPIRY_MARGIN_MS) taken = s.id;
      else void this.discard(s.id).catch(() => undefined);
    }
    void this.refill(spec);
    return taken;
  }

  /** Tops the spec's stock up to `size`, one container at a time in the background; resolves when done. */
  refill(spec: SandboxSpec): Promise<void> {
    const key = poolKey(spec);
    if (this.closed || this.size <= 0) return Promise.resolve();
    const running = this.filling.get(key);
    if (running) return running;
    const fill = (async () => {
      while (!this.closed && (this.stock.get(key)?.length ?? 0) < this.size) {
        // A few at once: a pool sized to many episodes refills in a fraction of the time, without a burst on Docker.
        const missing = Math.min(REFILL_AT_ONCE, this.size - (this.stock.get(key)?.length ?? 0));
        const made = await Promise.allSettled(Array.from({ length: missing }, () => this.make(spec)));
        const ids = made.flatMap((m) => (m.status === 'fulfilled' ? [m.value] : []));
        if (this.closed) {
          await Promise.all(ids.map((id) => this.discard(id).catch(() => undefined)));
          return;
        }
        this.stock.set(key, [...(this.stock.get(key) ?? []), ...ids.map((id) => ({ id, readyAt: Date.now() }))]);
        const failed = made.find((m) => m.status === 'rejected');
        if (failed) throw failed.reason;
      }
    })()
      // A failing refill stops until the next take(); create() then reports the error itself.
      .catch(() => undefined)
      .finally(() => this.filling.delete(key));
    this.filling.set(key, fill);
    return fill;
  }

  /** Resolves when no refill is in flight (every spec's stock is full, or its refill failed). */
  async settled(): Promise<void> {
    while (this.filling.size > 0) await Promise.all([...this.filling.values()]);
  }

  /** Stops refilling and removes every unclaimed container (waits for refills in flight). */
  async drain(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.filling.values()]);
    const ids = [...this.stock.values()].flat().map((s) => s.id);
    this.stock.clear();
    await Promise.all(ids.map((id) => this.discard(id).catch(() => undefined)));
  }
}
