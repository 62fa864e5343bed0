// A tiny JSON Schema (draft-07) vocabulary for describing contract messages the way cosmwasm-schema does, and a
// validator for exactly that vocabulary, so tests can check every message they send against the published schema.

export type JsonSchema =
  | { type: 'integer'; format: 'uint64' | 'uint32'; minimum: number; maximum?: number; description?: string }
  | { type: 'string'; pattern?: string; minLength?: number; maxLength?: number; enum?: string[]; description?: string }
  | { type: 'boolean'; description?: string }
  | { type: 'null' }
  | { type: 'array'; items: JsonSchema | JsonSchema[]; minItems?: number; maxItems?: number; description?: string }
  | {
      type: 'object';
      properties: Record<string, JsonSchema>;
      required: string[];
      additionalProperties: false;
      description?: string;
    }
  | { anyOf: JsonSchema[]; description?: string }
  | { oneOf: JsonSchema[]; description?: string };

export const u64 = (description?: string): JsonSchema => ({
  type: 'integer',
  format: 'uint64',
  minimum: 0,
  ...(description ? { description } : {}),
});
export const u32 = (description?: string): JsonSchema => ({
  type: 'integer',
  format: 'uint32',
  minimum: 0,
  maximum: 4294967295,
  ...(description ? { description } : {}),
});
export const str = (
  extra: { pattern?: string; minLength?: number; maxLength?: number; description?: string } = {},
): JsonSchema => ({ type: 'string', ...extra });
export const stringEnum = (values: string[]): JsonSchema => ({ type: 'string', enum: values });
export const arrayOf = (items: JsonSchema, maxItems?: number): JsonSchema => ({
  type: 'array',
  items,
  ...(maxItems !== undefined ? { maxItems } : {}),
});
export const tuple = (items: JsonSchema[]): JsonSchema => ({
  type: 'array',
  items,
  minItems: items.length,
  maxItems: items.length,
});
export const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
export const object = (
  properties: Record<string, JsonSchema>,
  optional: string[] = [],
  description?: string,
): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
  ...(description ? { description } : {}),
});
/** One externally tagged enum variant: {"name": {...fields}}. */
export const variant = (name: string, fields: JsonSchema, description?: string): JsonSchema =>
  object({ [name]: fields }, [], description);
export const oneOf = (variants: JsonSchema[]): JsonSchema => ({ oneOf: variants });

/** Returns the problems of `value` against `schema` (empty when valid), each with its JSON path. */
export function validateAgainstSchema(schema: JsonSchema, value: unknown, path = '$'): string[] {
  if ('anyOf' in schema) {
    return schema.anyOf.some((s) => validateAgainstSchema(s, value, path).length === 0)
      ? []
      : [`${path}: matches none of anyOf`];
  }
  if ('oneOf' in schema) {
    const matching = schema.oneOf.filter((s) => validateAgainstSchema(s, value, path).length === 0).length;
    return matching === 1 ? [] : [`${path}: matches ${matching} of oneOf (exactly one required)`];
  }
  switch (schema.type) {
    case 'null':
      return value === null ? [] : [`${path}: expected null`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected boolean`];
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return [`${path}: expected an integer`];
      if (value < schema.minimum || (schema.maximum !== undefined && value > schema.maximum))
        return [`${path}: ${value} out of range`];
      return [];
    }
    case 'string': {
      if (typeof value !== 'string') return [`${path}: expected a string`];
      const problems: string[] = [];
      if (schema.enum && !schema.enum.includes(value))
        problems.push(`${path}: '${value}' not one of ${schema.enum.join(', ')}`);
      if (schema.pattern && !new RegExp(schema.pattern).test(value))
        problems.push(`${path}: '${value}' does not match ${schema.pattern}`);
      if (schema.minLength !== undefined && value.length < schema.minLength)
        problems.push(`${path}: shorter than ${schema.minLength}`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        problems.push(`${path}: longer than ${schema.maxLength}`);
      return problems;
    }
    case 'array': {
      if (!Array.isArray(value)) return [`${path}: expected an array`];
      const problems: string[] = [];
      if (schema.minItems !== undefined && value.length < schema.minItems)
        problems.push(`${path}: fewer than ${schema.minItems} items`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems)
        problems.push(`${path}: more than ${schema.maxItems} items`);
      value.forEach((item, i) => {
        const itemSchema = Array.isArray(schema.items) ? schema.items[i] : schema.items;
        if (itemSchema) problems.push(...validateAgainstSchema(itemSchema, item, `${path}[${i}]`));
      });
      return problems;
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected an object`];
      // As JSON sees it: a property set to undefined is absent.
      const record = Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));
      const problems: string[] = [];
      for (const key of schema.required) if (!(key in record)) problems.push(`${path}: missing ${key}`);
      for (const [key, item] of Object.entries(record)) {
        const propertySchema = schema.properties[key];
        if (!propertySchema) problems.push(`${path}: unexpected property ${key}`);
        else problems.push(...validateAgainstSchema(propertySchema, item, `${path}.${key}`));
      }
      return problems;
    }
  }
}
