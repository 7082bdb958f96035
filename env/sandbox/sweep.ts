/**
 * Leak sweeping: which of the containers this project created may be removed. Every container (sandboxes,
 * warm-pool stock, image probes) carries its creator, the worker process that made it
 * (`<machine>/<pid>/<process start>`), and, for an episode's sandbox, the episode. A sweep removes a
 * container whose episode is finished, or, when nobody can say its episode still runs, whose creator is
 * gone and which is older than a grace period. A running episode's sandbox is kept whoever created it: a
 * worker that replaces a killed one continues the episode in it. Pure but for reading /proc.
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

export const CREATOR_LABEL = 'agent-dagger.creator';
export const EPISODE_LABEL = 'agent-dagger.episode';
/** On image probes (a created, never started container reading the image's /etc/passwd). */
export const PROBE_LABEL = 'agent-dagger.probe';
/** Default grace before a dead creator's containers go: longer than an activity's retry gaps. */
export const DEFAULT_SWEEP_GRACE_S = 30 * 60;

/** Start time of a process in clock ticks since boot (/proc/<pid>/stat field 22), or undefined when it is gone. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

let self: string | undefined;

/** This process as a creator: the machine, the pid and the pid's start time (a reused pid is another process). */
export function creatorId(): string {
  self ??= `${os.hostname()}/${process.pid}/${processStart(process.pid) ?? '0'}`;
  return self;
}

export function creatorLabels(): Record<string, string> {
  return { [CREATOR_LABEL]: creatorId() };
}

/** Whether a creator process still runs; undefined when it ran on another machine (this one cannot tell). */
export function creatorAlive(creator: string): boolean | undefined {
  const [machine, pid, start] = creator.split('/');
  if (machine !== os.hostname()) return undefined;
  return processStart(Number(pid)) === start;
}

export type EpisodeState = 'running' | 'closed' | undefined;

export interface SweepCandidate {
  id: string;
  /** Docker labels, merged with a warm-pool container's claim. */
  labels: Record<string, string>;
  /** Seconds since the epoch. */
  createdS: number;
}

/** Why a container is removed, or null to keep it. Pure given `alive` and `episode`. */
export function sweepReason(c: SweepCandidate, facts: { alive: boolean | undefined; episode: EpisodeState; nowS: number; graceS: number }): string | null {
  const episode = c.labels[EPISODE_LABEL];
  if (episode !== undefined && facts.episode === 'closed') return `its episode ${episode} is finished`;
  if (episode !== undefined && facts.episode === 'running') return null;
  const age = facts.nowS - c.createdS;
  if (facts.alive === false && age >= facts.graceS) return `its creator ${c.labels[CREATOR_LABEL]} is gone (created ${Math.round(age)} s ago)`;
  return null;
}
