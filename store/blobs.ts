/**
 * The objects under a run, by key (a relative path with "/" separators, the same in every backend: docs/formats.md).
 * Two backends: a local directory (the embedded default, or a mount every host shares) and an S3-compatible object
 * store (store/s3.ts). Both keep the claim-check contract: `putOnce` is atomic and the first complete write wins; a
 * later write of the same key gets the stored object back.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface PutOnceResult {
  /** This call's write is the stored one (on S3 also when the stored bytes equal this call's: its own lost-response retry). */
  created: boolean;
  /** The stored object (this call's body when created, else the earlier winner's). */
  body: Buffer;
}

export interface BlobStore {
  /** Where the objects are, for messages (a directory, or s3://bucket/prefix). */
  readonly where: string;
  get(key: string): Promise<Buffer | null>;
  /** An identity of the stored object that changes when it is written again (a cache key), or null when absent. */
  version(key: string): Promise<string | null>;
  /** Write once: atomic, the first complete write wins (see PutOnceResult). */
  putOnce(key: string, body: Buffer | string): Promise<PutOnceResult>;
  /** Write atomically, replacing any earlier object (records that are recomputed the same way on retry). */
  put(key: string, body: Buffer | string): Promise<void>;
  /** Upload a local file once (large objects: streamed, never held in memory); false when the key was taken. */
  putFileOnce(key: string, file: string): Promise<boolean>;
  /** Download an object into a local file (atomically); false when there is no such object. */
  getFile(key: string, file: string): Promise<boolean>;
  /** The names directly under a prefix ("a/b" lists a/b/*), like readdir; sorted; [] when there are none. */
  list(prefix: string): Promise<string[]>;
  /** Every key under a prefix, at any depth, relative to it; sorted. */
  listAll(prefix: string): Promise<string[]>;
}

/** A key is a relative path inside the run: no absolute paths, no "..", no empty segments. */
export function checkKey(key: string): string {
  const parts = key.split('/');
  if (!key || key.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`run store key ${JSON.stringify(key)} is not a relative path inside the run (no leading "/", "..", "." or empty segments)`);
  }
  return key;
}

/** A run directory on a local (or shared) file system: today's layout, one file per key. */
export class LocalBlobs implements BlobStore {
  constructor(readonly root: string) {}

  get where(): string {
    return this.root;
  }

  path(key: string): string {
    return path.join(this.root, ...checkKey(key).split('/'));
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return readFileSync(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async version(key: string): Promise<string | null> {
    try {
      const stat = statSync(this.path(key));
      // A run directory removed and made again is not the one cached: a new inode or time.
      return `${stat.dev}:${stat.ino}:${stat.mtimeMs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async putOnce(key: string, body: Buffer | string): Promise<PutOnceResult> {
    const file = this.path(key);
    const tmp = tempNear(file);
    writeFileSync(tmp, body);
    return this.linkOnce(tmp, file, () => ({ created: true, body: Buffer.from(body) }));
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    const file = this.path(key);
    const tmp = tempNear(file);
    writeFileSync(tmp, body);
    renameSync(tmp, file);
  }

  async putFileOnce(key: string, source: string): Promise<boolean> {
    const file = this.path(key);
    const tmp = tempNear(file);
    copyFileSync(source, tmp);
    return this.linkOnce(tmp, file, () => ({ created: true, body: Buffer.alloc(0) })).created;
  }

  async getFile(key: string, target: string): Promise<boolean> {
    const file = this.path(key);
    if (!existsSync(file)) return false;
    const tmp = tempNear(target);
    copyFileSync(file, tmp);
    renameSync(tmp, target);
    return true;
  }

  async list(prefix: string): Promise<string[]> {
    const dir = prefix ? this.path(prefix) : this.root;
    return existsSync(dir) ? readdirSync(dir).filter((n) => !isTemp(n)).sort() : [];
  }

  async listAll(prefix: string): Promise<string[]> {
    const dir = prefix ? this.path(prefix) : this.root;
    if (!existsSync(dir)) return [];
    return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
      .filter((d) => d.isFile() && !isTemp(d.name))
      .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
      .sort();
  }

  /** The hard link fails when the name is taken: the first complete write wins, atomically. */
  private linkOnce(tmp: string, file: string, created: () => PutOnceResult): PutOnceResult {
    try {
      linkSync(tmp, file);
      return created();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return { created: false, body: readFileSync(file) };
    } finally {
      unlinkSync(tmp);
    }
  }
}

function tempNear(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  return `${file}.${randomBytes(6).toString('hex')}.tmp`;
}

function isTemp(name: string): boolean {
  return /\.[0-9a-f]{12}\.tmp$/.test(name);
}
