/**
 * Sizes of a bounded sandbox's tmpfs mounts. Tmpfs pages count against the container's memory limit, so
 * mounts that add up to more than that limit turn "disk full" into the OOM killer: the agent's commands die
 * with 137 instead of their writes failing with ENOSPC. Every mount the agent can write together stays
 * under FILES_SHARE of the memory limit, leaving the rest to processes. Pure.
 */

/** Fraction of the memory limit that all agent-writable tmpfs mounts may fill together. */
export const FILES_SHARE = 0.75;
/** The per-user state volume (session, step journal, undo history; session.ts STATE_DIR), MiB. */
export const STATE_MB = 16;
/** Smallest useful /tmp, /var/tmp or home, MiB. */
const MIN_SCRATCH_MB = 4;

export interface ScratchSizes {
  /** MiB of the workdir's tmpfs: `workspaceMb`, or less when the memory limit cannot hold it with the rest. */
  workspaceMb: number;
  /** MiB of each of /tmp, /var/tmp and the user's home. */
  scratchMb: number;
  stateMb: number;
}

/**
 * The workspace gets what was asked for up to two thirds of the files' share; /tmp, /var/tmp and the home
 * split the rest (each at most `workspaceMb`, or MIN_SCRATCH_MB when that is less). Throws when the memory
 * limit is too small for any of it, naming the least that fits.
 */
export function scratchSizes(memoryMb: number, workspaceMb: number): ScratchSizes {
  const sizes = fit(memoryMb, workspaceMb);
  if (sizes) return sizes;
  let least = memoryMb + 1;
  while (!fit(least, workspaceMb)) least++;
  throw new Error(
    `sandbox memoryMb ${memoryMb} is too small for a bounded workspace: its tmpfs mounts (workspace, /tmp, /var/tmp, home, ` +
      `${STATE_MB} MiB of session state) count against the memory limit and may use ${FILES_SHARE * 100}% of it; raise memoryMb to at least ${least}`,
  );
}

function fit(memoryMb: number, workspaceMb: number): ScratchSizes | undefined {
  const files = Math.floor(memoryMb * FILES_SHARE) - STATE_MB;
  const workspace = Math.min(workspaceMb, Math.floor((files * 2) / 3));
  const scratch = Math.min(Math.max(workspaceMb, MIN_SCRATCH_MB), Math.floor((files - workspace) / 3));
  return scratch >= MIN_SCRATCH_MB && workspace >= 1 ? { workspaceMb: workspace, scratchMb: scratch, stateMb: STATE_MB } : undefined;
}
