// Infers a strict JSON Schema from a values object, as the research did for kube-prometheus-stack
// (research/anchors-lsp.md §5.2): every key typed, `additionalProperties: false` on non-empty
// maps, empty maps left open (they are extension points), `items` from the first array element,
// a `description` on every string. Roughly a worst case for a validator: every node is checked.

export function inferSchema(value) {
  if (value === null || value === undefined) return { type: 'null' };
  if (Array.isArray(value)) {
    const schema = { type: 'array' };
    if (value.length) schema.items = inferSchema(value[0]);
    return schema;
  }
  switch (typeof value) {
    case 'string':
      return { type: 'string', description: 'inferred string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return { type: Number.isInteger(value) ? 'integer' : 'number' };
    case 'object': {
      const keys = Object.keys(value);
      if (!keys.length) return { type: 'object' };
      const properties = {};
      for (const k of keys) properties[k] = inferSchema(value[k]);
      return { type: 'object', properties, additionalProperties: false };
    }
    default:
      return {};
  }
}
