/**
 * Where a run's records live, as one string that workflow inputs carry in `runDir`: an absolute directory (local
 * or a shared mount), or an S3 location `s3://<bucket>/<prefix>/<experimentId>?endpoint=…&region=…&forcePathStyle=…
 * &accessKeyEnv=…&secretKeyEnv=…`. The string names the environment variables that hold the credentials, never the
 * credentials: each worker reads them from its own environment. Pure: the workflow checks inputs with it.
 */
import * as path from 'node:path';

export interface S3Location {
  kind: 's3';
  bucket: string;
  /** Key prefix of the run (no leading or trailing "/"); may be empty. */
  prefix: string;
  /** http(s) URL of an S3-compatible server; absent: AWS S3 itself. */
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  accessKeyEnv?: string;
  secretKeyEnv?: string;
}

export type RunLocation = { kind: 'local'; dir: string } | S3Location;

/** The store part of an experiment config (config/schema.ts `store`). */
export type StoreConfig =
  | { kind: 'local' }
  | { kind: 's3'; bucket: string; prefix?: string; endpoint?: string; region?: string; forcePathStyle?: boolean; accessKeyEnv?: string; secretKeyEnv?: string };

const S3_PARAMS = ['endpoint', 'region', 'forcePathStyle', 'accessKeyEnv', 'secretKeyEnv'] as const;

/** Parse a runDir; throws with what is wrong and the expected forms. */
export function parseRunLocation(runDir: string): RunLocation {
  const problem = checkRunLocation(runDir);
  if (problem) throw new Error(problem);
  if (!runDir.startsWith('s3://')) return { kind: 'local', dir: runDir };
  const url = new URL(runDir);
  const q = url.searchParams;
  const get = (name: string) => q.get(name) ?? undefined;
  return {
    kind: 's3',
    bucket: url.hostname,
    prefix: decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, ''),
    endpoint: get('endpoint'),
    region: get('region') ?? 'us-east-1',
    forcePathStyle: q.get('forcePathStyle') === 'true',
    accessKeyEnv: get('accessKeyEnv'),
    secretKeyEnv: get('secretKeyEnv'),
  };
}

/** Null when runDir is a valid run location, else the problem (for the workflow's own input check). */
export function checkRunLocation(runDir: unknown): string | null {
  const expected = 'expected an absolute directory or s3://<bucket>/<prefix>?endpoint=…';
  if (typeof runDir !== 'string') return `runDir: ${expected}, got ${JSON.stringify(runDir)}`;
  if (runDir.startsWith('/')) return null;
  if (!runDir.startsWith('s3://')) return `runDir: ${expected} (the workers write the run there), got ${JSON.stringify(runDir)}`;
  let url: URL;
  try {
    url = new URL(runDir);
  } catch {
    return `runDir: ${JSON.stringify(runDir)} is not a URL (${expected})`;
  }
  if (!url.hostname) return `runDir: ${JSON.stringify(runDir)} names no bucket (${expected})`;
  const unknown = [...url.searchParams.keys()].filter((k) => !(S3_PARAMS as readonly string[]).includes(k));
  if (unknown.length) return `runDir: unknown parameter(s) ${unknown.join(', ')} in ${JSON.stringify(runDir)} (known: ${S3_PARAMS.join(', ')})`;
  const endpoint = url.searchParams.get('endpoint');
  if (endpoint !== null && !/^https?:\/\/[^/]/.test(endpoint)) return `runDir: endpoint ${JSON.stringify(endpoint)} is not an http(s) URL`;
  return null;
}

/** The run location of an experiment: `<runRoot>/<experimentId>` locally, `<prefix>/<experimentId>` in a bucket. */
export function runLocationFor(store: StoreConfig, runRoot: string, experimentId: string): string {
  if (store.kind === 'local') return path.resolve(runRoot, experimentId);
  const prefix = [store.prefix?.replace(/^\/+|\/+$/g, ''), experimentId].filter(Boolean).join('/');
  const q = new URLSearchParams();
  if (store.endpoint) q.set('endpoint', store.endpoint);
  q.set('region', store.region ?? 'us-east-1');
  if (store.forcePathStyle) q.set('forcePathStyle', 'true');
  if (store.accessKeyEnv) q.set('accessKeyEnv', store.accessKeyEnv);
  if (store.secretKeyEnv) q.set('secretKeyEnv', store.secretKeyEnv);
  return `s3://${store.bucket}/${prefix.split('/').map(encodeURIComponent).join('/')}?${q}`;
}

/** A short name of the run for messages and local scratch directories (no query, no credentials' names). */
export function describeRunLocation(runDir: string): string {
  const loc = parseRunLocation(runDir);
  return loc.kind === 'local' ? loc.dir : `s3://${loc.bucket}/${loc.prefix}${loc.endpoint ? ` at ${loc.endpoint}` : ''}`;
}
