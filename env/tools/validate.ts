/**
 * Checks a tool call against its tool's JSON schema (the subset the tools use: object of string,
 * number, integer, array-of-integer and enum properties). Returns an error text the model can act on,
 * or null. Pure.
 */
import type { ToolCall, ToolDefinition } from '../../core/types';
import { TOOLS } from './definitions';

interface PropertySchema {
  type?: string;
  enum?: unknown[];
  items?: { type?: string };
}

interface ObjectSchema {
  properties?: Record<string, PropertySchema>;
  required?: string[];
}

export function validateToolCall(call: Pick<ToolCall, 'name' | 'arguments'>, tools: ToolDefinition[] = TOOLS): string | null {
  const names = tools.map((t) => t.function.name);
  const tool = tools.find((t) => t.function.name === call.name);
  if (!tool) return `Unknown tool ${JSON.stringify(call.name)}. Available tools: ${names.join(', ')}.`;
  if (typeof call.arguments !== 'object' || call.arguments === null || Array.isArray(call.arguments)) {
    return `The arguments of ${call.name} must be a JSON object.`;
  }
  const schema = tool.function.parameters as ObjectSchema;
  const properties = schema.properties ?? {};
  const allowed = Object.keys(properties);
  const problems: string[] = [];
  for (const key of schema.required ?? []) {
    if (call.arguments[key] === undefined) problems.push(`missing required parameter "${key}"`);
  }
  for (const [key, value] of Object.entries(call.arguments)) {
    const prop = properties[key];
    if (!prop) {
      problems.push(`unknown parameter "${key}"`);
      continue;
    }
    if (value === undefined || value === null) continue;
    const typeError = checkType(value, prop);
    if (typeError) problems.push(`parameter "${key}" ${typeError}`);
  }
  if (problems.length === 0) return null;
  return `Invalid call of ${call.name}: ${problems.join('; ')}. Parameters of ${call.name}: ${allowed.join(', ')} (required: ${(schema.required ?? []).join(', ') || 'none'}).`;
}

function checkType(value: unknown, prop: PropertySchema): string | null {
  if (prop.enum && !prop.enum.includes(value)) return `must be one of ${prop.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`;
  switch (prop.type) {
    case 'string':
      return typeof value === 'string' ? null : `must be a string, got ${describe(value)}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : `must be a number, got ${describe(value)}`;
    case 'integer':
      return Number.isInteger(value) ? null : `must be an integer, got ${describe(value)}`;
    case 'array': {
      if (!Array.isArray(value)) return `must be an array, got ${describe(value)}`;
      if (prop.items?.type === 'integer' && !value.every((v) => Number.isInteger(v))) return `must be an array of integers, got ${JSON.stringify(value)}`;
      return null;
    }
    default:
      return null;
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
