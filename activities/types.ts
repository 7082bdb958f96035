/** Plain data shared by workflows and activities (types only: safe to import from workflow code). */

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
  };
  maxObservationChars: number;
  /** How the task and tools are described (`tasks.prompt`); absent = openhands. */
  prompt?: 'openhands' | 'compact';
  /** `tasks.rejectTampering`: a patch that changes test infrastructure counts as unresolved; absent = false. */
  rejectTampering?: boolean;
}
