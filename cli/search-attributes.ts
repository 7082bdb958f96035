/**
 * `agent-dagger register-search-attributes`: the project's custom search attributes on a namespace of a
 * self-hosted cluster, through the operator service (what `temporal operator search-attribute create` does).
 * Idempotent: attributes already there with the right type are left alone; one there with another type is an
 * error, since workflows would fail to upsert it. It returns once the server accepts queries on them: on SQL
 * visibility an added attribute is a namespace alias, which frontends see only at their next namespace-cache
 * refresh (every 2 s by default), and a start naming it fails until then.
 */
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

export interface Registration {
  namespace: string;
  added: string[];
  /** Already registered with the right type. */
  present: string[];
}

export async function registerSearchAttributes(client: Client, namespace: string = client.options.namespace): Promise<Registration> {
  const operator = client.connection.operatorService;
  const existing = (await operator.listSearchAttributes({ namespace })).customAttributes ?? {};
  const missing: Record<string, number> = {};
  const present: string[] = [];
  const conflicts: string[] = [];
  for (const { name, type } of Object.values(SEARCH_ATTRIBUTES)) {
    const wanted = encodeSearchAttributeIndexedValueType(type)!;
    const found = existing[name];
    if (found === undefined) missing[name] = wanted;
    else if (found === wanted) present.push(name);
    else conflicts.push(`${name} is registered as ${typeName(found)}, but the workflows write it as ${type}`);
  }
  if (conflicts.length) {
    throw new Error(
      `namespace ${namespace}: ${conflicts.join('; ')}. Remove it (\`temporal operator search-attribute remove --namespace ${namespace} --name <name>\`, ` +
        'only if nothing else uses it) or run agent-dagger in another namespace',
    );
  }
  if (Object.keys(missing).length) await operator.addSearchAttributes({ namespace, searchAttributes: missing });
  await waitUntilUsable(client, namespace, USABLE_TIMEOUT_MS);
  return { namespace, added: Object.keys(missing), present };
}

/** A visibility query that names every attribute: the server refuses it (INVALID_ARGUMENT) while one is unknown to it. */
async function waitUntilUsable(client: Client, namespace: string, timeoutMs: number): Promise<void> {
  const query = Object.values(SEARCH_ATTRIBUTES)
    .map(({ name, type }) => `${name} = ${SAMPLE_VALUE[type]}`)
    .join(' AND ');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.workflowService.listWorkflowExecutions({ namespace, pageSize: 1, query });
      return;
    } catch (err) {
      if (!isGrpcServiceError(err) || err.code !== GRPC_INVALID_ARGUMENT) throw err;
      if (Date.now() > deadline) {
        throw new Error(
          `namespace ${namespace}: the search attributes are registered, but after ${timeoutMs / 1000}s the server still refuses a query on them ` +
            `(${(err as Error).message}). Check the namespace cache refresh (dynamic config system.namespaceCacheRefreshInterval) and run this command again`,
        );
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const GRPC_INVALID_ARGUMENT = 3;
/** Far beyond the server's default namespace-cache refresh (2 s). */
const USABLE_TIMEOUT_MS = 60_000;

const SAMPLE_VALUE: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: '"x"',
  [SearchAttributeType.KEYWORD]: '"x"',
  [SearchAttributeType.KEYWORD_LIST]: '"x"',
  [SearchAttributeType.INT]: '0',
  [SearchAttributeType.DOUBLE]: '0',
  [SearchAttributeType.BOOL]: 'false',
  [SearchAttributeType.DATETIME]: '"2000-01-01T00:00:00Z"',
};

/** An IndexedValueType number as the SDK names the type. */
function typeName(value: number): string {
  return Object.values(SearchAttributeType).find((t) => encodeSearchAttributeIndexedValueType(t) === value) ?? `type ${value}`;
}
