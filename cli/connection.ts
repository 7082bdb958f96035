/**
 * How workers and clients reach a Temporal cluster: address, TLS (server CA, client certificate and key for
 * mTLS, server name override) and an API key, as a self-hosted cluster with mTLS or Temporal Cloud needs.
 *
 * A config's `temporal` block names files and the environment variable that holds the API key, never the key
 * itself. Commands without a config (status, worker, list, …) read the environment variables the `temporal` CLI
 * reads (`temporal options` lists them), so one set of exports serves both CLIs.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { ExperimentConfig } from '../config/schema';

type TemporalBlock = ExperimentConfig['temporal'];
type TlsBlock = Exclude<TemporalBlock['tls'], boolean | undefined>;

/** What both connection kinds take beyond the address: `tls` and `apiKey` as the SDK names them. */
export interface ConnectionSecurity {
  tls?: NonNullable<NativeConnectionOptions['tls']>;
  apiKey?: string;
}

/** The environment variables of the `temporal` CLI (1.x) that describe a connection's security. */
export const TEMPORAL_CLI_ENV = {
  tls: 'TEMPORAL_TLS',
  serverCaCertPath: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  clientCertPath: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  clientKeyPath: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
  serverName: 'TEMPORAL_TLS_SERVER_NAME',
  apiKey: 'TEMPORAL_API_KEY',
} as const;

/**
 * The config's `tls` and `apiKeyEnv` as SDK options: certificate files read, the key taken from the named
 * variable. Like the SDK and the `temporal` CLI, an API key turns TLS on unless `tls: false` says otherwise.
 */
export function securityFromConfig(temporal: Pick<TemporalBlock, 'tls' | 'apiKeyEnv'>, env: NodeJS.ProcessEnv = process.env): ConnectionSecurity {
  const apiKey = temporal.apiKeyEnv === undefined ? undefined : readApiKey(temporal.apiKeyEnv, env, 'temporal.apiKeyEnv');
  const tls = temporal.tls === undefined ? undefined : tlsOptions(temporal.tls, (field) => `temporal.tls.${field}`);
  return { ...(tls !== undefined && { tls }), ...(apiKey !== undefined && { apiKey }) };
}

/** The same from the `temporal` CLI's environment variables (for commands that have no config). */
export function securityFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectionSecurity {
  const value = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const files: TlsBlock = {
    serverCaCertPath: value(TEMPORAL_CLI_ENV.serverCaCertPath),
    clientCertPath: value(TEMPORAL_CLI_ENV.clientCertPath),
    clientKeyPath: value(TEMPORAL_CLI_ENV.clientKeyPath),
    serverName: value(TEMPORAL_CLI_ENV.serverName),
  };
  const anyFile = Object.values(files).some((v) => v !== undefined);
  const flag = value(TEMPORAL_CLI_ENV.tls);
  const enabled = flag === undefined ? undefined : parseBool(flag, TEMPORAL_CLI_ENV.tls);
  const apiKey = value(TEMPORAL_CLI_ENV.apiKey);
  const names: Record<keyof TlsBlock, string> = TEMPORAL_CLI_ENV;
  const tls = enabled === false ? false : anyFile ? tlsOptions(files, (field) => names[field]) : enabled;
  return { ...(tls !== undefined && { tls }), ...(apiKey !== undefined && { apiKey }) };
}

/** Options for a worker's connection. */
export function nativeConnectionOptions(address: string, security: ConnectionSecurity): NativeConnectionOptions {
  return { address, ...security };
}

/** Options for a client's connection. */
export function clientConnectionOptions(address: string, security: ConnectionSecurity): ConnectionOptions {
  return { address, ...security };
}

export function connectWorkerConnection(address: string, security: ConnectionSecurity): Promise<NativeConnection> {
  return NativeConnection.connect(nativeConnectionOptions(address, security));
}

export async function connectTemporalClient(address: string, namespace: string, security: ConnectionSecurity): Promise<Client> {
  const connection = await Connection.connect(clientConnectionOptions(address, security));
  return new Client({ connection, namespace });
}

function tlsOptions(tls: TlsBlock | boolean, name: (field: keyof TlsBlock) => string): ConnectionSecurity['tls'] {
  if (typeof tls === 'boolean') return tls;
  if ((tls.clientCertPath === undefined) !== (tls.clientKeyPath === undefined)) {
    const missing = tls.clientCertPath === undefined ? 'clientCertPath' : 'clientKeyPath';
    throw new Error(`${name(missing)} is not set: mTLS needs both the client certificate and its key (set both, or neither for server-only TLS)`);
  }
  const read = (field: keyof TlsBlock & `${string}Path`) => {
    const file = tls[field]!;
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`${name(field)}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); point it at a PEM file this machine can read`);
    }
  };
  return {
    ...(tls.serverName !== undefined && { serverNameOverride: tls.serverName }),
    ...(tls.serverCaCertPath !== undefined && { serverRootCACertificate: read('serverCaCertPath') }),
    ...(tls.clientCertPath !== undefined && { clientCertPair: { crt: read('clientCertPath'), key: read('clientKeyPath') } }),
  };
}

function readApiKey(variable: string, env: NodeJS.ProcessEnv, field: string): string {
  const key = env[variable]?.trim();
  if (!key) throw new Error(`${field} names ${variable}, which is not set (or empty) in this process's environment; export the API key there before starting`);
  return key;
}

/** Booleans as the `temporal` CLI (Go's strconv.ParseBool) reads them. */
function parseBool(value: string, variable: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new Error(`${variable}=${value} is not a boolean; use true or false`);
}
