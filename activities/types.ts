/** Plain data shared by workflows and activities (types and constants only: safe to import from workflow code). */

/** Which environment an episode runs in, and its limits. */
export interface EnvironmentSpec {
  kind: 'swe';
  /** The instances JSONL of the task set. */
  suite: string;
  sandbox: {
    memoryMb: number;
    cpus: number;
    pids: number;
    commandTimeoutS: number;
    lifetimeS: number;
    workspaceMb: number;
    /** Bound of one workspace snapshot in bytes; absent (inputs from before snapshots) = HOST_LOSS_DEFAULTS. */
    snapshotMaxBytes?: number;
    /** Seconds a sandbox activity may wait for its host's worker before the episode moves to another host. */
    hostLossTimeoutS?: number;
  };
  maxObservationChars: number;
  /** How the task and tools are described (`tasks.prompt`); absent = openhands. */
  prompt?: 'openhands' | 'compact';
  /** `tasks.rejectTampering`: a patch that changes test infrastructure counts as unresolved; absent = false. */
  rejectTampering?: boolean;
}

