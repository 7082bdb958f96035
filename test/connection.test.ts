/**
 * Connecting to a real cluster: the config's TLS files and API key (and the `temporal` CLI's environment
 * variables) become the SDK's connection options and reach the wire: a worker and a client work through a TLS
 * endpoint that demands a client certificate (in front of the dev server), which sees the server name, the client
 * certificate and `authorization: Bearer <key>` on every request. The dev server without TLS still works.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, test } from 'node:test';
import { toNativeClientOptions } from '@temporalio/worker/lib/connection-options';
import {
  clientConnectionOptions,
  connectTemporalClient,
  connectWorkerConnection,
  nativeConnectionOptions,
  securityFromConfig,
  securityFromEnv,
  TEMPORAL_CLI_ENV,
} from '../cli/connection';
import { loadConfig, parseConfig } from '../config/load';
import { temporalBinary } from '../config/paths';
import { errorChain } from '../cli/experiments';
import { TASK_QUEUES } from '../workflows/task-queues';
import { startWorkers } from '../workers/workers';
import { workflowBundle } from './support/stack';
import { startTestServer, type TestServer } from './support/temporal';

const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-dagger-tls-'));
const pem = (name: string) => path.join(dir, name);
const SERVER_NAME = 'temporal.test';

/** A CA, a server certificate for SERVER_NAME and a client certificate, all signed by the CA (X.509 v3, as rustls wants). */
before(() => {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=agent-dagger test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  for (const [name, cn, ext] of [
    ['server', SERVER_NAME, `subjectAltName=DNS:${SERVER_NAME}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE`],
    ['client', 'rollout-worker-7', 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE'],
  ]) {
    writeFileSync(pem(`${name}.ext`), ext + '\n');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  }
});

/** The smallest valid experiment config. */
const MINIMAL = { name: 'x', algorithm: { kind: 'dagger' }, student: { kind: 'bundled', name: 'noisy' }, teacher: { kind: 'bundled', name: 'oracle' }, tasks: { suite: 's.jsonl' } };

const tlsBlock = () => ({ serverCaCertPath: pem('ca.pem'), clientCertPath: pem('client.pem'), clientKeyPath: pem('client.key'), serverName: SERVER_NAME });

test("the config's TLS files and API key become the SDK's options, as the worker's core receives them", () => {
  const security = securityFromConfig({ tls: tlsBlock(), apiKeyEnv: 'MY_CLUSTER_KEY' }, { MY_CLUSTER_KEY: 'secret-1' });
  const native = toNativeClientOptions(nativeConnectionOptions('cluster.example:7233', security));
  assert.equal(native.targetUrl, 'https://cluster.example:7233');
  assert.equal(native.apiKey, 'secret-1');
  assert.equal(native.tls!.domain, SERVER_NAME);
  assert.deepEqual(native.tls!.serverRootCaCert, readFileSync(pem('ca.pem')));
  assert.deepEqual(native.tls!.clientTlsOptions!.clientCert, readFileSync(pem('client.pem')));
  assert.deepEqual(native.tls!.clientTlsOptions!.clientPrivateKey, readFileSync(pem('client.key')));
  assert.deepEqual(clientConnectionOptions('cluster.example:7233', security), { address: 'cluster.example:7233', ...security });

  // An API key alone turns TLS on with the system's roots (Temporal Cloud); `tls: false` keeps it off.
  const cloud = toNativeClientOptions(nativeConnectionOptions('ns.acct.tmprl.cloud:7233', securityFromConfig({ apiKeyEnv: 'K' }, { K: 'k' })));
  assert.equal(cloud.targetUrl, 'https://ns.acct.tmprl.cloud:7233');
  assert.deepEqual(cloud.tls, { domain: null, serverRootCaCert: null, clientTlsOptions: null });
  const plain = toNativeClientOptions(nativeConnectionOptions('proxy:7233', securityFromConfig({ apiKeyEnv: 'K', tls: false }, { K: 'k' })));
  assert.equal(plain.targetUrl, 'http://proxy:7233');
  assert.equal(plain.apiKey, 'k');
  // Nothing set: plain gRPC, as the embedded server speaks.
  assert.equal(toNativeClientOptions(nativeConnectionOptions('127.0.0.1:7233', securityFromConfig({}))).tls, null);
});

test('a missing key, a half mTLS pair or an unreadable file is an error naming the field and the fix', () => {
  assert.throws(() => securityFromConfig({ apiKeyEnv: 'NOT_SET_HERE' }, {}), /temporal\.apiKeyEnv names NOT_SET_HERE, which is not set.*export/);
  assert.throws(() => securityFromConfig({ apiKeyEnv: 'EMPTY' }, { EMPTY: ' ' }), /EMPTY, which is not set \(or empty\)/);
  assert.throws(() => securityFromConfig({ tls: { clientCertPath: pem('client.pem') } }), /temporal\.tls\.clientKeyPath is not set: mTLS needs both/);
  assert.throws(() => securityFromConfig({ tls: { serverCaCertPath: pem('nope.pem') } }), /temporal\.tls\.serverCaCertPath: cannot read .*nope\.pem \(ENOENT\)/);
  assert.throws(() => securityFromEnv({ [TEMPORAL_CLI_ENV.clientKeyPath]: pem('client.key') }), /TEMPORAL_TLS_CLIENT_CERT_PATH is not set/);
  assert.throws(() => securityFromEnv({ TEMPORAL_TLS: 'yes' }), /TEMPORAL_TLS=yes is not a boolean/);
});

test('the schema: TLS and the key variable are for a cluster; files are relative to the config; the key never goes in', () => {
  const base = MINIMAL;
  assert.throws(() => parseConfig({ ...base, temporal: { tls: true } }), /temporal: tls and apiKeyEnv are for a cluster/);
  assert.throws(() => parseConfig({ ...base, temporal: { address: 'c:7233', apiKeyEnv: 'tmprl_abc.def-ghi' } }), /temporal\.apiKeyEnv: the name of an environment variable/);
  assert.throws(() => parseConfig({ ...base, temporal: { address: 'c:7233', tls: { caFile: 'x' } } }), /caFile/);
  const file = path.join(dir, 'cluster.yaml');
  writeFileSync(file, JSON.stringify({ ...base, temporal: { address: 'c:7233', namespace: 'prod', tls: { serverCaCertPath: 'ca.pem', clientCertPath: 'client.pem', clientKeyPath: '/abs/client.key' } } }));
  const { temporal } = loadConfig(file);
  assert.deepEqual(temporal.tls, { serverCaCertPath: pem('ca.pem'), clientCertPath: pem('client.pem'), clientKeyPath: '/abs/client.key' });
});

test("commands without a config read the `temporal` CLI's own environment variables", () => {
  // The names, checked against the installed CLI's list of its options and variables.
  const options = execFileSync(temporalBinary(), ['options'], { encoding: 'utf8' });
  for (const name of Object.values(TEMPORAL_CLI_ENV)) assert.match(options, new RegExp(`\\s${name}\\s`), `${name} is not a variable of the temporal CLI`);
  const security = securityFromEnv({
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: pem('ca.pem'),
    TEMPORAL_TLS_CLIENT_CERT_PATH: pem('client.pem'),
    TEMPORAL_TLS_CLIENT_KEY_PATH: pem('client.key'),
    TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
    TEMPORAL_API_KEY: 'k2',
  });
  assert.deepEqual(security, securityFromConfig({ tls: tlsBlock(), apiKeyEnv: 'K' }, { K: 'k2' }));
  assert.deepEqual(securityFromEnv({ TEMPORAL_TLS: 'true' }), { tls: true });
  assert.deepEqual(securityFromEnv({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }), { tls: false, apiKey: 'k' });
  assert.deepEqual(securityFromEnv({}), {});
});

/** What a TLS server that demands a client certificate sees of each request. */
interface Seen {
  servername: string | false | null;
  clientCN: string | undefined;
  authorization: string | undefined;
}

/**
 * A TLS front for the dev server, as a cluster's TLS endpoint would be: it demands a client certificate signed by
 * the CA, records what each request brings, and relays the gRPC streams (headers, messages, trailers) to the plain
 * server behind it.
 */
async function tlsFront(upstreamAddress: string): Promise<{ address: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const upstream = http2.connect(`http://${upstreamAddress}`);
  const server = http2.createSecureServer({
    key: readFileSync(pem('server.key')),
    cert: readFileSync(pem('server.pem')),
    ca: readFileSync(pem('ca.pem')),
    requestCert: true,
    rejectUnauthorized: true,
  });
  server.on('stream', (stream, headers) => {
    const socket = stream.session!.socket as TLSSocket;
    seen.push({ servername: socket.servername, clientCN: socket.getPeerCertificate().subject?.CN as string | undefined, authorization: headers.authorization });
    const { ':authority': _a, ':scheme': _s, ...forward } = headers;
    const request = upstream.request(forward);
    stream.pipe(request);
    let trailers: http2.IncomingHttpHeaders = {};
    request.on('response', (response) => {
      // A trailers-only answer (a gRPC error) ends with its headers.
      if (response['grpc-status'] !== undefined) stream.respond(response, { endStream: true });
      else stream.respond(response, { waitForTrailers: true });
    });
    request.on('trailers', (t) => (trailers = t));
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    request.on('data', (chunk: Buffer) => stream.write(chunk));
    request.on('end', () => !stream.closed && stream.end());
    request.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    stream.on('close', () => !request.closed && request.close(http2.constants.NGHTTP2_CANCEL));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    seen,
    close: async () => {
      upstream.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let server: TestServer;
before(async () => {
  await workflowBundle(); // installs the SDK's quiet runtime, which must precede any worker connection
  server = await startTestServer();
});
after(async () => server?.stop());

test('through a TLS endpoint with mTLS and an API key: a worker runs a workflow a client started, with the name, certificate and key on every request', async () => {
  const front = await tlsFront(server.address);
  const security = securityFromConfig({ tls: tlsBlock(), apiKeyEnv: 'MY_CLUSTER_KEY' }, { MY_CLUSTER_KEY: 'secret-2' });
  const connection = await connectWorkerConnection(front.address, security);
  const client = await connectTemporalClient(front.address, 'default', security);
  const workers = await startWorkers({ connection, namespace: 'default', roles: ['orchestrator'], workflowBundle: await workflowBundle() });
  try {
    // The sweep workflow refuses a malformed input at once: the failure's text comes from workflow code run by the worker.
    const handle = await client.workflow.start('sweepWorkflow', { taskQueue: TASK_QUEUES.orchestrate, workflowId: 'tls-check', args: [{}] });
    await assert.rejects(handle.result(), (err: Error) => /invalid sweep input/.test(errorChain(err)));
    const expected = { servername: SERVER_NAME, clientCN: 'rollout-worker-7', authorization: 'Bearer secret-2' };
    assert.ok(front.seen.length >= 4, `requests through the TLS endpoint: ${front.seen.length}`);
    assert.deepEqual(front.seen.filter((s) => JSON.stringify(s) !== JSON.stringify(expected)), [], 'every request carried the name, certificate and key');

    // Without the client certificate the handshake fails: the endpoint really demanded it.
    const { clientCertPath: _c, clientKeyPath: _k, ...serverOnly } = tlsBlock();
    await assert.rejects(connectTemporalClient(front.address, 'default', securityFromConfig({ tls: serverOnly })));
  } finally {
    await workers.shutdown();
    await client.connection.close();
    await connection.close();
    await front.close();
  }
});

test('the dev server without TLS: a worker connection and a client connect with the config defaults', async () => {
  const security = securityFromConfig(parseConfig(MINIMAL).temporal);
  assert.deepEqual(security, {});
  const worker = await connectWorkerConnection(server.address, security);
  const client = await connectTemporalClient(server.address, 'default', security);
  try {
    const info = await client.workflowService.getSystemInfo({});
    assert.ok(info.capabilities, 'the server answered');
    const namespaces = await worker.workflowService.listNamespaces({});
    assert.ok(namespaces.namespaces.some((n) => n.namespaceInfo?.name === 'default'));
  } finally {
    await client.connection.close();
    await worker.close();
  }
});
