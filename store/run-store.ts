/**
 * The run store: every large artefact of an experiment lives in files under one run directory, and
 * workflow histories carry only references to them (claim check). Layout: docs/formats.md.
 *
 * Records keyed by (episode, turn) are written once: a retried activity that finds its own earlier write
 * returns it instead of writing again, so a record is neither duplicated nor lost.
 */
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { turnMessages, type Message, type PolicyOutput, type TrajectoryRecord, type TurnRecord } from '../core/types';
import type { VerificationResult } from '../env/types';

export type PolicyRole = 'teacher' | 'student';

/** What an episode needs to know about itself, written when its sandbox is ready. */
export interface EpisodeManifest {
  schema: 'agent-dagger/episode@1';
  experimentId: string;
  iteration: number;
  episodeId: string;
  taskId: string;
  suite: string;
  prompt: TrajectoryRecord['prompt'];
  tools: TrajectoryRecord['tools'];
  /** The live sandbox's handle and the task queue of the host it runs on. */
  handle: string;
  hostQueue: string;
}

export class RunStore {
  constructor(readonly runDir: string) {}

  file(...parts: string[]): string {
    return path.join(this.runDir, ...parts);
  }
  relative(file: string): string {
    return path.relative(this.runDir, file);
  }

  episodeDir(episodeId: string): string {
    return this.file('episodes', episodeId);
  }
  manifestFile(episodeId: string): string {
    return path.join(this.episodeDir(episodeId), 'episode.json');
  }
  policyFile(episodeId: string, turn: number, role: PolicyRole): string {
    return path.join(this.episodeDir(episodeId), 'turns', `${turn}.${role}.json`);
  }
  turnFile(episodeId: string, turn: number): string {
    return path.join(this.episodeDir(episodeId), 'turns', `${turn}.json`);
  }
  fullObservationFile(episodeId: string, turn: number): string {
    return path.join(this.episodeDir(episodeId), 'turns', `${turn}.observation.txt`);
  }
  verificationFile(episodeId: string): string {
    return path.join(this.episodeDir(episodeId), 'verification.json');
  }
  testLogFile(episodeId: string): string {
    return path.join(this.episodeDir(episodeId), 'test-output.txt');
  }
  trajectoryFile(episodeId: string): string {
    return path.join(this.episodeDir(episodeId), 'trajectory.json');
  }
  datasetFile(iteration: number): string {
    return this.file('datasets', `iter-${iteration}.jsonl`);
  }
  metricsFile(iteration: number): string {
    return this.file('metrics', `iter-${iteration}.json`);
  }
  checkpointDir(iteration: number): string {
    return this.file('checkpoints', `iter-${iteration}`);
  }

  readManifest(episodeId: string): EpisodeManifest {
    return readJson(this.manifestFile(episodeId));
  }
  /** The manifest, or null when the episode never got its sandbox. */
  readManifestIfExists(episodeId: string): EpisodeManifest | null {
    return readJsonIfExists(this.manifestFile(episodeId));
  }
  readPolicy(episodeId: string, turn: number, role: PolicyRole): PolicyOutput | null {
    return readJsonIfExists(this.policyFile(episodeId, turn, role));
  }
  readTurn(episodeId: string, turn: number): TurnRecord | null {
    return readJsonIfExists(this.turnFile(episodeId, turn));
  }
  /** The episode's turn records 0 … n−1 in order (stops at the first missing turn). */
  readTurns(episodeId: string, before = Infinity): TurnRecord[] {
    const turns: TurnRecord[] = [];
    for (let t = 0; t < before; t++) {
      const record = this.readTurn(episodeId, t);
      if (!record) break;
      turns.push(record);
    }
    return turns;
  }
  readVerification(episodeId: string): VerificationResult | null {
    return readJsonIfExists(this.verificationFile(episodeId));
  }
  listEpisodes(): string[] {
    const dir = this.file('episodes');
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  }
}

/** The history h_t a policy sees at turn t, and the episode's manifest. */
export interface EpisodeHistory {
  manifest: EpisodeManifest;
  messages: Message[];
}

interface CachedHistory {
  /** Identity of the manifest file: a run directory removed and made again is not the cached one. */
  manifestId: string;
  manifest: EpisodeManifest;
  /** prompt, then two messages per turn 0 … turns−1 (core/types.ts turnMessages). */
  messages: Message[];
  turns: number;
}

/**
 * The message histories of the episodes a worker is running, kept between its policy calls. Turn records are
 * written once and never change, so the history at turn t is the cached one extended by the records written
 * since: each record is read and parsed once per worker, O(T) per episode instead of re-reading every earlier turn
 * at every call (O(T²)). Keyed by (run directory, episode) and the turn count; a fresh worker (restart, another
 * machine) has an empty cache and rebuilds from the store on its first call. At most `maxEpisodes` are kept,
 * least recently used first out.
 */
export class HistoryCache {
  private readonly entries = new Map<string, CachedHistory>();

  constructor(readonly maxEpisodes = 512) {}

  /** h_turn: the prompt and turns 0 … turn−1. Throws when one of those turn records is not (yet) stored. */
  at(store: RunStore, episodeId: string, turn: number): EpisodeHistory {
    const key = `${store.runDir}\u0000${episodeId}`;
    const manifestFile = store.manifestFile(episodeId);
    const stat = statSync(manifestFile);
    const manifestId = `${stat.dev}:${stat.ino}:${stat.mtimeMs}`;
    let entry = this.entries.get(key);
    this.entries.delete(key);
    if (!entry || entry.manifestId !== manifestId) {
      const manifest = readJson<EpisodeManifest>(manifestFile);
      entry = { manifestId, manifest, messages: [...manifest.prompt], turns: 0 };
    }
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEpisodes) this.entries.delete(this.entries.keys().next().value!);
    for (; entry.turns < turn; entry.turns++) {
      const record = store.readTurn(episodeId, entry.turns);
      if (!record) throw new Error(`episode ${episodeId}: turn ${turn} requested but only ${entry.turns} earlier turns are stored (${store.turnFile(episodeId, entry.turns)} is missing)`);
      entry.messages.push(...turnMessages(record.executed, record.observation));
    }
    return { manifest: entry.manifest, messages: entry.messages.slice(0, entry.manifest.prompt.length + 2 * turn) };
  }
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export function readJsonIfExists<T>(file: string): T | null {
  try {
    return readJson<T>(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Write atomically (temporary file, then rename), replacing any earlier content. */
export function writeFileAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 1) + '\n');
}

/**
 * Write a record once. If the file already exists (an earlier attempt wrote it), keep it and return its
 * content: the first complete write wins, atomically (hard link fails when the name is taken).
 */
export function writeJsonOnce<T>(file: string, value: T): { value: T; created: boolean } {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 1) + '\n');
  try {
    linkSync(tmp, file);
    return { value, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { value: readJson<T>(file), created: false };
  } finally {
    unlinkSync(tmp);
  }
}
