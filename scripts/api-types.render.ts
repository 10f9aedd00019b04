/**
 * The console's typed API client (issue 15): the service's OpenAPI document (/api/docs-json) as TypeScript types, written
 * to web/src/api.gen.ts by `npm run api:types`. A small generator of our own: components.schemas become interfaces, and
 * every path and method one entry of `Paths` with its path parameters, query, body and answer.
 */

/** The parts of an OpenAPI 3 document this generator reads. */
export interface OpenApiSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  additionalProperties?: boolean | OpenApiSchema;
  oneOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  allOf?: OpenApiSchema[];
  description?: string;
}

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: OpenApiSchema;
  description?: string;
}

interface OpenApiOperation {
  summary?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: OpenApiSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: OpenApiSchema }> }>;
}

export interface OpenApiDocument {
  info?: { title?: string; version?: string };
  paths?: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, OpenApiSchema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** A TypeScript identifier from a schema name (`Foo.Bar-1` → `Foo_Bar_1`). */
export function typeName(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

const key = (name: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name));

/** A comment line that cannot end the comment early. */
const comment = (text: string | undefined, indent: string): string =>
  text ? `${indent}/** ${text.replace(/\*\//g, '*\\/').replace(/\s*\n\s*/g, ' ')} */\n` : '';

/** One schema as a TypeScript type (inline). */
export function typeOf(s: OpenApiSchema | undefined, indent = ''): string {
  if (!s) return 'unknown';
  const nullable = (t: string) => (s.nullable ? `${t} | null` : t);
  if (s.$ref) return nullable(typeName(s.$ref.replace(/^#\/components\/schemas\//, '')));
  if (s.enum) return nullable(s.enum.map((v) => JSON.stringify(v)).join(' | ') || 'never');
  if (s.oneOf || s.anyOf) return nullable((s.oneOf ?? s.anyOf)!.map((x) => typeOf(x, indent)).join(' | '));
  if (s.allOf) return nullable(s.allOf.map((x) => typeOf(x, indent)).join(' & '));
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length > 1) return types.map((t) => typeOf({ ...s, type: t, nullable: false }, indent)).join(' | ');
  switch (types[0]) {
    case 'string':
      return nullable(s.format === 'binary' ? 'Blob' : 'string');
    case 'integer':
    case 'number':
      return nullable('number');
    case 'boolean':
      return nullable('boolean');
    case 'null':
      return 'null';
    case 'array':
      return nullable(`${wrap(typeOf(s.items, indent))}[]`);
    case 'object':
    case undefined:
      if (s.properties) return nullable(objectType(s, indent));
      if (s.additionalProperties && typeof s.additionalProperties === 'object') return nullable(`Record<string, ${typeOf(s.additionalProperties, indent)}>`);
      return nullable(types[0] === 'object' ? 'Record<string, unknown>' : 'unknown');
    default:
      return 'unknown';
  }
}

const wrap = (t: string): string => (/[|&]/.test(t) && !/^[{(]/.test(t) ? `(${t})` : t);

function objectType(s: OpenApiSchema, indent: string): string {
  const inner = `${indent}  `;
  const required = new Set(s.required ?? []);
  const lines = Object.entries(s.properties ?? {}).map(
    ([name, p]) => `${comment(p.description, inner)}${inner}${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(p, inner)};\n`,
  );
  if (s.additionalProperties && typeof s.additionalProperties === 'object') lines.push(`${inner}[key: string]: ${typeOf(s.additionalProperties, inner)};\n`);
  return lines.length ? `{\n${lines.join('')}${indent}}` : 'Record<string, never>';
}

function parametersType(ps: OpenApiParameter[], where: 'path' | 'query'): string {
  const mine = ps.filter((p) => p.in === where);
  if (mine.length === 0) return 'Record<string, never>';
  return objectType(
    {
      properties: Object.fromEntries(mine.map((p) => [p.name, { ...(p.schema ?? {}), description: p.description ?? p.schema?.description }])),
      required: mine.filter((p) => p.required).map((p) => p.name),
    },
    '      ',
  );
}

function jsonSchema(content: Record<string, { schema?: OpenApiSchema }> | undefined): OpenApiSchema | undefined | null {
  if (!content) return null;
  const json = content['application/json'] ?? Object.entries(content).find(([type]) => type.includes('json'))?.[1];
  return json ? json.schema : undefined;
}

function responseType(op: OpenApiOperation): string {
  const ok = Object.entries(op.responses ?? {})
    .filter(([status]) => /^2/.test(status))
    .map(([, r]) => r);
  if (ok.length === 0) return 'unknown';
  const types = ok.map((r) => {
    const s = jsonSchema(r.content);
    return s === null ? (r.content ? 'Blob' : 'void') : typeOf(s, '      ');
  });
  return [...new Set(types)].join(' | ');
}

/** The whole web/src/api.gen.ts for a document: deterministic (sorted), so a difference means the API changed. */
export function renderApiTypes(doc: OpenApiDocument): string {
  const out: string[] = [
    '/**',
    " * Generated by `npm run api:types` from the service's OpenAPI document (/api/docs-json). Do not edit by hand:",
    ' * test/http/api-types.test.ts fails when this file is not what the running service publishes.',
    ' */',
    '',
  ];
  const schemas = doc.components?.schemas ?? {};
  for (const name of Object.keys(schemas).sort()) {
    const s = schemas[name];
    const t = typeOf(s);
    out.push(comment(s.description, '') + (t.startsWith('{') ? `export interface ${typeName(name)} ${t}\n` : `export type ${typeName(name)} = ${t};\n`));
  }
  out.push('/** Every operation: its path parameters, query, JSON body and the JSON of its successful answer. */');
  out.push('export interface Paths {');
  for (const path of Object.keys(doc.paths ?? {}).sort()) {
    const ops = doc.paths![path];
    const methods = METHODS.filter((m) => ops[m]);
    if (methods.length === 0) continue;
    out.push(`  ${JSON.stringify(path)}: {`);
    for (const m of methods) {
      const op = ops[m];
      const ps = op.parameters ?? [];
      const body = jsonSchema(op.requestBody?.content);
      out.push(comment(op.summary, '    ') + `    ${m}: {`);
      out.push(`      params: ${parametersType(ps, 'path')};`);
      out.push(`      query: ${parametersType(ps, 'query')};`);
      out.push(`      body: ${body === null ? 'never' : typeOf(body, '      ')};`);
      out.push(`      response: ${responseType(op)};`);
      out.push('    };');
    }
    out.push('  };');
  }
  out.push('}');
  out.push('');
  out.push('export type Method = keyof Paths[keyof Paths];');
  out.push("/** The successful answer of `method path`, e.g. `ResponseOf<'/api/desk', 'get'>`. */");
  out.push('export type ResponseOf<P extends keyof Paths, M extends keyof Paths[P]> = Paths[P][M] extends { response: infer R } ? R : never;');
  out.push('/** The JSON body `method path` takes. */');
  out.push('export type BodyOf<P extends keyof Paths, M extends keyof Paths[P]> = Paths[P][M] extends { body: infer B } ? B : never;');
  out.push('/** The query `method path` takes. */');
  out.push('export type QueryOf<P extends keyof Paths, M extends keyof Paths[P]> = Paths[P][M] extends { query: infer Q } ? Q : never;');
  out.push('');
  return out.join('\n');
}
