/**
 * The run store: every large artefact of an experiment lives under one run location (a directory, or a prefix in
 * an S3 bucket every host reaches), keyed by its path relative to the run, and workflow histories carry only
 * references to them (claim check). Layout: docs/formats.md; backends: store/blobs.ts, store/s3.ts.
 *
 * Records keyed by (episode, turn) are written once: a retried activity that finds its own earlier write
 * returns it instead of writing again, so a record is neither duplicated nor lost.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { turnMessages, type Message, type PolicyOutput, type TrajectoryRecord, type TurnRecord } from '../core/types';
import type { VerificationResult } from '../env/types';
import { agentDaggerHome } from '../config/paths';
import { checkKey, LocalBlobs, type BlobStore } from './blobs';
import { parseRunLocation } from './location';
import { S3Blobs } from './s3';

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
  readonly blobs: BlobStore;

  /** runDir: an absolute directory or an S3 location (store/location.ts). */
  constructor(readonly runDir: string) {
    const location = parseRunLocation(runDir);
    this.blobs = location.kind === 'local' ? new LocalBlobs(location.dir) : new S3Blobs(location);
  }

  /** The records are files in a directory this host sees (a local run or a shared mount). */
  get local(): boolean {
    return this.blobs instanceof LocalBlobs;
  }

  episodeKey(episodeId: string): string {
    return `episodes/${episodeId}`;
  }
  manifestKey(episodeId: string): string {
    return `${this.episodeKey(episodeId)}/episode.json`;
  }
  policyKey(episodeId: string, turn: number, role: PolicyRole): string {
    return `${this.episodeKey(episodeId)}/turns/${turn}.${role}.json`;
  }
  turnKey(episodeId: string, turn: number): string {
    return `${this.episodeKey(episodeId)}/turns/${turn}.json`;
  }
  fullObservationKey(episodeId: string, turn: number): string {
    return `${this.episodeKey(episodeId)}/turns/${turn}.observation.txt`;
  }
  /** The request and outcome records of one (episode, turn, role)'s model calls. */
  callsKey(episodeId: string, turn: number, role: PolicyRole): string {
    return `${this.episodeKey(episodeId)}/calls/${turn}.${role}`;
  }
  verificationKey(episodeId: string): string {
    return `${this.episodeKey(episodeId)}/verification.json`;
  }
  testLogKey(episodeId: string): string {
    return `${this.episodeKey(episodeId)}/test-output.txt`;
  }
  trajectoryKey(episodeId: string): string {
    return `${this.episodeKey(episodeId)}/trajectory.json`;
  }
  datasetKey(iteration: number): string {
    return `datasets/iter-${iteration}.jsonl`;
  }
  metricsKey(iteration: number): string {
    return `metrics/iter-${iteration}.json`;
  }
  checkpointKey(iteration: number): string {
    return `checkpoints/iter-${iteration}`;
  }

  async getJson<T>(key: string): Promise<T | null> {
    const body = await this.blobs.get(key);
    if (body === null) return null;
    try {
      return JSON.parse(body.toString('utf8')) as T;
    } catch (err) {
      throw new Error(`run store ${this.blobs.where}: ${key} is not valid JSON (${(err as Error).message})`);
    }
  }
  async getText(key: string): Promise<string | null> {
    return (await this.blobs.get(key))?.toString('utf8') ?? null;
  }
  /** Write a record once: the first complete write wins; a later one gets the stored record back. */
  async putJsonOnce<T>(key: string, value: T): Promise<{ value: T; created: boolean }> {
    const written = await this.blobs.putOnce(key, JSON.stringify(value, null, 1) + '\n');
    return { value: written.created ? value : (JSON.parse(written.body.toString('utf8')) as T), created: written.created };
  }
  /** Write atomically, replacing an earlier version (records recomputed the same way on a retry). */
  async putJson(key: string, value: unknown): Promise<void> {
    await this.blobs.put(key, JSON.stringify(value, null, 1) + '\n');
  }
  async putText(key: string, text: string): Promise<void> {
    await this.blobs.put(key, text);
  }

  async readManifest(episodeId: string): Promise<EpisodeManifest> {
    const manifest = await this.readManifestIfExists(episodeId);
    if (!manifest) throw new Error(`episode ${episodeId}: no manifest at ${this.manifestKey(episodeId)} in ${this.blobs.where} (the episode never started its sandbox)`);
    return manifest;
  }
  /** The manifest, or null when the episode never got its sandbox. */
  readManifestIfExists(episodeId: string): Promise<EpisodeManifest | null> {
    return this.getJson(this.manifestKey(episodeId));
  }
  readPolicy(episodeId: string, turn: number, role: PolicyRole): Promise<PolicyOutput | null> {
    return this.getJson(this.policyKey(episodeId, turn, role));
  }
  readTurn(episodeId: string, turn: number): Promise<TurnRecord | null> {
    return this.getJson(this.turnKey(episodeId, turn));
  }
  /** The episode's turn records 0 … n−1 in order (stops at the first missing turn). */
  async readTurns(episodeId: string, before = Infinity): Promise<TurnRecord[]> {
    const turns: TurnRecord[] = [];
    for (let t = 0; t < before; t++) {
      const record = await this.readTurn(episodeId, t);
      if (!record) break;
      turns.push(record);
    }
    return turns;
  }
  readVerification(episodeId: string): Promise<VerificationResult | null> {
    return this.getJson(this.verificationKey(episodeId));
  }
  listEpisodes(): Promise<string[]> {
    return this.blobs.list('episodes');
  }

  /**
   * A local path of `key` for a program that reads files (the trainer): in a local run the file itself; otherwise a
   * copy downloaded into this host's scratch directory (scratchPath). Throws when the store has no such object.
   */
  async localFile(key: string): Promise<string> {
    const file = this.scratchPath(key);
    if (!existsSync(file) && (this.blobs instanceof LocalBlobs || !(await this.blobs.getFile(key, file)))) throw new Error(`run store ${this.blobs.where}: ${key} does not exist`);
    return file;
  }
  /** Every object under `prefix` ('' for the whole location) as files of one local directory (see localFile); the directory. */
  async localDir(prefix: string): Promise<string> {
    if (this.blobs instanceof LocalBlobs) return prefix ? this.blobs.path(prefix) : this.blobs.root;
    const dir = this.scratchPath(prefix);
    const keys = await this.blobs.listAll(prefix);
    if (keys.length === 0) throw new Error(`run store ${this.blobs.where}: nothing under ${prefix || '(the location)'}/`);
    for (const k of keys) {
      const file = path.join(dir, ...k.split('/'));
      if (!existsSync(file)) await this.blobs.getFile(prefix ? `${prefix}/${k}` : k, file);
    }
    return dir;
  }
  /** Where key ('' for the location itself) is on this host: the file itself (local) or its place in this host's scratch copy. */
  scratchPath(key: string): string {
    if (this.blobs instanceof LocalBlobs) return key ? this.blobs.path(key) : this.blobs.root;
    const loc = (this.blobs as S3Blobs).location;
    return path.join(agentDaggerHome(), 'store-scratch', loc.bucket, ...loc.prefix.split('/').filter(Boolean), ...(key ? checkKey(key).split('/') : []));
  }
  /** The location of `key` as a location string of its own (a checkpoint directory that another host fetches with localCopy). */
  locationOf(key: string): string {
    if (this.blobs instanceof LocalBlobs) return this.blobs.path(key);
    const url = new URL(this.runDir);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${checkKey(key).split('/').map(encodeURIComponent).join('/')}`;
    return url.toString();
  }
  /** Upload a local directory's files under `prefix`, each once (a retry finds them stored); no-op for the run's own directory. */
  async uploadDir(prefix: string, dir: string): Promise<void> {
    if (this.blobs instanceof LocalBlobs && path.resolve(this.blobs.path(prefix)) === path.resolve(dir)) return;
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    for (const d of files) {
      const rel = path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/');
      await this.blobs.putFileOnce(`${prefix}/${rel}`, path.join(dir, rel));
    }
  }
}

/**
 * A directory this host can read for a location (a checkpoint, a model): a local path as it is, an S3 location
 * downloaded once into this host's scratch copy (store/location.ts). What train and deploy steps hand to programs.
 */
export async function localCopy(location: string): Promise<string> {
  return location.startsWith('s3://') ? new RunStore(location).localDir('') : location;
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
  async at(store: RunStore, episodeId: string, turn: number): Promise<EpisodeHistory> {
    const key = `${store.runDir}\u0000${episodeId}`;
    const manifestId = await store.blobs.version(store.manifestKey(episodeId));
    if (manifestId === null) throw new Error(`episode ${episodeId}: no manifest at ${store.manifestKey(episodeId)} in ${store.blobs.where}`);
    let entry = this.entries.get(key);
    this.entries.delete(key);
    if (!entry || entry.manifestId !== manifestId) {
      const manifest = await store.readManifest(episodeId);
      entry = { manifestId, manifest, messages: [...manifest.prompt], turns: 0 };
    }
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEpisodes) this.entries.delete(this.entries.keys().next().value!);
    // Read first, then extend in one synchronous step: a concurrent call for the same episode (teacher and student
    // at one turn) may have extended the entry while these reads were awaited.
    const start = entry.turns;
    const records: TurnRecord[] = [];
    for (let t = start; t < turn; t++) {
      const record = await store.readTurn(episodeId, t);
      if (!record) throw new Error(`episode ${episodeId}: turn ${turn} requested but only ${t} earlier turns are stored (${store.turnKey(episodeId, t)} is missing in ${store.blobs.where})`);
      records.push(record);
    }
    for (; entry.turns < turn; entry.turns++) {
      const record = records[entry.turns - start];
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

/** Write atomically (temporary file, then rename), replacing any earlier content. Local files only (a report's own output directory, a trainer's config); run records go through RunStore. */
export function writeFileAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 1) + '\n');
}
