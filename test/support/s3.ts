/**
 * A real S3-compatible server for tests: SeaweedFS's `weed server -s3` (built once by scripts/ensure-weed.sh), on
 * free ports, its data in a temporary directory, with signed requests required (one access key, passed to weed in
 * its own environment). It exits with the test process however that ends (the same parent-watching shell as the
 * embedded Temporal server), so none outlives the suite.
 *
 * Use:
 *   const s3 = await startS3Server();           // first call may build weed (minutes, once per machine)
 *   after(() => s3.stop());
 *   const bucket = await s3.createBucket('runs');
 *   process.env[s3.accessKeyEnv] / [s3.secretKeyEnv] are set in this process, so workers started here (or child
 *   processes that inherit the environment) sign their requests;
 *   const runDir = s3.runDir(bucket, 'my-exp');  // a run location for RunStore / a workflow's runDir
 *   const store = s3.storeConfig(bucket);        // the config's `store:` part ({kind: 's3', …})
 * For several "hosts", start workers with the same runDir: they share the bucket and see each other's records.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { EXIT_WITH_PARENT, freePort, portOpen, serverPid } from '../../cli/embedded-server';
import { PROJECT_ROOT } from '../../config/paths';
import { runLocationFor, type StoreConfig } from '../../store/location';

export interface TestS3Server {
  endpoint: string;
  region: string;
  /** Names of the environment variables holding the credentials (set in this process). */
  accessKeyEnv: string;
  secretKeyEnv: string;
  dir: string;
  logFile: string;
  pid: number;
  process: ChildProcess;
  /** An S3 client for the test itself (assertions on the bucket). */
  client: S3Client;
  createBucket(name: string): Promise<string>;
  storeConfig(bucket: string, prefix?: string): Extract<StoreConfig, { kind: 's3' }>;
  runDir(bucket: string, experimentId: string, prefix?: string): string;
  stop(): Promise<void>;
}

/** The weed binary, built from the Go module proxy on first use (scripts/ensure-weed.sh). */
export function weedBinary(): string {
  return execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'ensure-weed.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 30 * 60_000 }).trim();
}

export async function startS3Server(dir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-s3-'))): Promise<TestS3Server> {
  const bin = weedBinary();
  // Below 32768 would be safer for weed's derived gRPC ports (+10000); all are given explicitly instead.
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc] = await Promise.all(Array.from({ length: 8 }, () => freePort()));
  const accessKeyEnv = 'AGENT_DAGGER_TEST_S3_KEY';
  const secretKeyEnv = 'AGENT_DAGGER_TEST_S3_SECRET';
  process.env[accessKeyEnv] ??= 'agentdaggertest';
  process.env[secretKeyEnv] ??= 'agent-dagger-test-secret';
  // Each bucket is a collection with volumes of its own, grown several at a time: a small -volume.max runs out
  // ("No writable volumes") once a few buckets exist. Volumes are not preallocated, so a large count costs no disk.
  const args = [
    'server', '-ip=127.0.0.1', '-ip.bind=127.0.0.1', `-dir=${dir}`, '-volume.max=64', '-master.volumeSizeLimitMB=64', '-master.telemetry=false',
    `-master.port=${master}`, `-master.port.grpc=${masterGrpc}`, `-volume.port=${volume}`, `-volume.port.grpc=${volumeGrpc}`,
    '-filer', `-filer.port=${filer}`, `-filer.port.grpc=${filerGrpc}`,
    '-s3', `-s3.port=${s3}`, `-s3.port.grpc=${s3Grpc}`, '-s3.port.iceberg=0', '-s3.port.lance=0',
  ];
  const logFile = path.join(dir, 'weed.log');
  const out = openSync(logFile, 'a');
  const env = { ...process.env, AWS_ACCESS_KEY_ID: process.env[accessKeyEnv], AWS_SECRET_ACCESS_KEY: process.env[secretKeyEnv] };
  // weed stops when this process's end closes the pipe on the wrapper's stdin (the embedded server's way).
  const child = spawn('/bin/sh', ['-c', EXIT_WITH_PARENT, 'sh', bin, ...args], { stdio: ['pipe', out, 'pipe'], env, cwd: dir });
  closeSync(out);
  const pid = await serverPid(child);
  let exited = false;
  child.once('exit', () => (exited = true));
  const endpoint = `http://127.0.0.1:${s3}`;
  const region = 'us-east-1';
  const client = new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: process.env[accessKeyEnv]!, secretAccessKey: process.env[secretKeyEnv]! },
  });
  const server: TestS3Server = {
    endpoint, region, accessKeyEnv, secretKeyEnv, dir, logFile, pid, process: child, client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    storeConfig: (bucket, prefix) => ({ kind: 's3', endpoint, bucket, region, forcePathStyle: true, accessKeyEnv, secretKeyEnv, ...(prefix && { prefix }) }),
    runDir: (bucket, experimentId, prefix) => runLocationFor(server.storeConfig(bucket, prefix), '', experimentId),
    async stop() {
      client.destroy();
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.stdin!.end(); // the watcher stops weed
      await gone;
    },
  };
  // Ready when a bucket can be made (the S3 gateway waits for the filer, the filer for the master and a volume).
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`weed exited at start (${bin} ${args.join(' ')}); its log:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    if (await portOpen(s3)) {
      try {
        await server.createBucket('agent-dagger-ready');
        return server;
      } catch {
        // not ready yet
      }
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`weed's S3 gateway did not answer on ${endpoint} within 120 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
