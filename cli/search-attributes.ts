/**
 * `agent-dagger register-search-attributes`: the project's custom search attributes on a namespace of a
 * self-hosted cluster, through the operator service (what `temporal operator search-attribute create` does).
 * Idempotent: attributes already there with the right type are left alone; one there with another type is an
 * error, since workflows would fail to upsert it.
 */
import type { Client } from '@temporalio/client';
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
  return { namespace, added: Object.keys(missing), present };
}

/** An IndexedValueType number as the SDK names the type. */
function typeName(value: number): string {
  return Object.values(SearchAttributeType).find((t) => encodeSearchAttributeIndexedValueType(t) === value) ?? `type ${value}`;
}
