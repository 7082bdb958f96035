/** What a sandbox is made from: its image, user, environment and limits. Plain data, shared by docker.ts and the pool. */

export interface SandboxLimits {
  memoryMb: number;
  cpus: number;
  pids: number;
  commandTimeoutS: number;
  lifetimeS: number;
  /**
   * When set: the root filesystem is read-only, the workdir is a tmpfs of up to this size, and /tmp, /var/tmp
   * and the home are tmpfs too, all together within 3/4 of `memoryMb` (scratch.ts).
   */
  workspaceMb?: number;
}

export interface SandboxSpec {
  image: string;
  workdir: string;
  /** User that commands run as; default: `agent` when the image has it, else root. */
  user?: string;
  env?: Record<string, string>;
  limits: SandboxLimits;
  labels?: Record<string, string>;
  name?: string;
}
