/**
 * The run store on an S3-compatible object store, through the AWS SDK's S3 client (signing, retries and streaming
 * are the SDK's). First-write-wins is the server's: `putOnce` is a PutObject with `If-None-Match: *` (S3's
 * conditional write), which the server refuses with 412 when the key exists. A server that ignores the header would
 * silently let a later write replace the first, so before its first write-once a client checks that the server
 * honours it (one probe object, written twice, then removed) and refuses a server that does not.
 */
import { createReadStream, createWriteStream, mkdirSync, renameSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { checkKey, type BlobStore, type PutOnceResult } from './blobs';
import type { S3Location } from './location';

/** One PutObject carries at most 5 GiB (S3's limit); larger checkpoint files would need a multipart upload. */
const MAX_PUT_BYTES = 5 * 1024 ** 3;

const clients = new Map<string, S3Client>();
const conditionalChecked = new Map<string, Promise<void>>();

export class S3Blobs implements BlobStore {
  private readonly client: S3Client;
  private readonly serverKey: string;

  constructor(readonly location: S3Location) {
    this.serverKey = JSON.stringify([location.endpoint, location.region, location.forcePathStyle, location.accessKeyEnv, location.secretKeyEnv]);
    this.client = clientFor(location, this.serverKey);
  }

  get where(): string {
    return `s3://${this.location.bucket}/${this.location.prefix}${this.location.endpoint ? ` (${this.location.endpoint})` : ''}`;
  }

  private key(key: string): string {
    return this.location.prefix ? `${this.location.prefix}/${checkKey(key)}` : checkKey(key);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const out = await this.call(key, () => this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) })));
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async version(key: string): Promise<string | null> {
    try {
      const out = await this.call(key, () => this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) })));
      return `${out.ETag}:${out.LastModified?.getTime()}`;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async putOnce(key: string, body: Buffer | string): Promise<PutOnceResult> {
    await this.checkConditionalWrites();
    const bytes = Buffer.from(body);
    if (await this.conditionalPut(key, () => bytes, bytes.length)) return { created: true, body: bytes };
    const stored = await this.get(key);
    if (!stored) throw new Error(`run store ${this.where}: ${key} was refused as existing (412) but cannot be read back`);
    // The SDK retries a request whose response was lost; if the first try was stored, the retry's 412 is about our
    // own write (the same bytes), which must not read as another writer having won.
    return { created: stored.equals(bytes), body: stored };
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    const bytes = Buffer.from(body);
    await this.call(key, () => this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: this.key(key), Body: bytes, ContentLength: bytes.length })));
  }

  async putFileOnce(key: string, file: string): Promise<boolean> {
    await this.checkConditionalWrites();
    const size = statSync(file).size;
    if (size > MAX_PUT_BYTES) {
      throw new Error(`run store ${this.where}: ${file} is ${size} bytes, more than one PutObject carries (5 GiB); save the checkpoint in smaller shards`);
    }
    return this.conditionalPut(key, () => createReadStream(file), size);
  }

  async getFile(key: string, file: string): Promise<boolean> {
    let out;
    try {
      out = await this.call(key, () => this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) })));
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await pipeline(out.Body as Readable, createWriteStream(tmp));
    renameSync(tmp, file);
    return true;
  }

  async list(prefix: string): Promise<string[]> {
    const names = new Set<string>();
    await this.listPages(prefix, '/', (keys, dirs) => {
      for (const k of [...keys, ...dirs]) names.add(k.replace(/\/$/, ''));
    });
    return [...names].sort();
  }

  async listAll(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    await this.listPages(prefix, undefined, (found) => keys.push(...found));
    return keys.sort();
  }

  /** ListObjectsV2 page by page; names are relative to prefix. */
  private async listPages(prefix: string, delimiter: string | undefined, each: (keys: string[], dirs: string[]) => void): Promise<void> {
    const base = prefix ? `${this.key(prefix)}/` : this.location.prefix ? `${this.location.prefix}/` : '';
    let token: string | undefined;
    do {
      const out = await this.call(prefix || '(run root)', () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: base, Delimiter: delimiter, ContinuationToken: token })),
      );
      each(
        (out.Contents ?? []).map((c) => c.Key!.slice(base.length)).filter(Boolean),
        (out.CommonPrefixes ?? []).map((p) => p.Prefix!.slice(base.length)),
      );
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  /** PutObject with If-None-Match: *; false when the key exists. A 409 (a concurrent conditional write in flight) is retried. */
  private async conditionalPut(key: string, body: () => Buffer | Readable, length: number): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.call(key, () => this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: this.key(key), Body: body(), ContentLength: length, IfNoneMatch: '*' })));
        return true;
      } catch (err) {
        const status = statusOf(err);
        if (status === 412) return false;
        if (status === 409 && attempt < 20) {
          await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
          continue;
        }
        throw err;
      }
    }
  }

  /** Once per server and process: a second If-None-Match write of one key must be refused, or first-write-wins does not hold. */
  private checkConditionalWrites(): Promise<void> {
    const id = `${this.serverKey}\u0000${this.location.bucket}`;
    let check = conditionalChecked.get(id);
    if (!check) {
      check = (async () => {
        const probe = `.agent-dagger-probe/${randomBytes(8).toString('hex')}`;
        const first = await this.conditionalPut(probe, () => Buffer.from('1'), 1);
        const second = await this.conditionalPut(probe, () => Buffer.from('2'), 1);
        await this.call(probe, () => this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.key(probe) })));
        if (!first || second) {
          throw new Error(
            `run store ${this.where}: the server does not honour conditional writes (PutObject with If-None-Match: * wrote over an existing object), ` +
              'so records could be written twice; use a server with S3 conditional writes (AWS S3, SeaweedFS, Ceph RGW) or a shared directory (store.kind: local)',
          );
        }
      })();
      check.catch(() => conditionalChecked.delete(id));
      conditionalChecked.set(id, check);
    }
    return check;
  }

  /** Send, naming the store and key in any error that is not a plain absence. */
  private async call<R>(key: string, send: () => Promise<R>): Promise<R> {
    try {
      return await send();
    } catch (err) {
      const status = statusOf(err);
      if ((status === 404 && isNotFound(err)) || status === 412 || status === 409) throw err;
      const e = err as Error;
      throw new Error(`run store ${this.where}, key ${key}: ${e.name}: ${e.message}${status ? ` (HTTP ${status})` : ''}${hint(status)}`, { cause: err });
    }
  }
}

function clientFor(loc: S3Location, id: string): S3Client {
  let client = clients.get(id);
  if (!client) {
    const credentials = loc.accessKeyEnv || loc.secretKeyEnv ? { accessKeyId: envVar(loc.accessKeyEnv, 'accessKeyEnv'), secretAccessKey: envVar(loc.secretKeyEnv, 'secretKeyEnv') } : undefined;
    client = new S3Client({
      endpoint: loc.endpoint,
      region: loc.region,
      forcePathStyle: loc.forcePathStyle,
      credentials,
      // Checksums only where S3 requires them: S3-compatible servers differ in the newer (trailing) checksum forms.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    clients.set(id, client);
  }
  return client;
}

function envVar(name: string | undefined, field: string): string {
  if (!name) throw new Error(`store.${field} is not set: name the environment variable that holds the S3 ${field === 'accessKeyEnv' ? 'access key id' : 'secret key'}`);
  const value = process.env[name];
  if (!value) throw new Error(`the environment variable ${name} (store.${field}) is not set on this worker: export it before starting the worker`);
  return value;
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** No such object (a missing bucket is a configuration error, not an absent record). */
function isNotFound(err: unknown): boolean {
  return statusOf(err) === 404 && (err as Error)?.name !== 'NoSuchBucket';
}

function hint(status: number | undefined): string {
  if (status === 403) return '; check the credentials in store.accessKeyEnv / store.secretKeyEnv and the bucket policy';
  if (status === 301 || status === 400) return '; check store.region and store.forcePathStyle (most S3-compatible servers need forcePathStyle: true)';
  return '';
}
