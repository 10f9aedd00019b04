import { readFileSync } from 'node:fs';
import { API_GEN, apiGenText } from '../../scripts/api-types';
import { type OpenApiDocument, renderApiTypes, typeOf } from '../../scripts/api-types.render';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 15: the console's types (web/src/api.gen.ts) are what the running service publishes at /api/docs-json — an
 * endpoint changed without `npm run api:types` fails here, with the command in the message.
 */
describe('the typed API client (web/src/api.gen.ts)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  }, 120_000);
  afterAll(() => t?.close());

  it("is what the running service's /api/docs-json gives", async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    const expected = apiGenText(res.body as OpenApiDocument);
    const actual = readFileSync(API_GEN, 'utf8');
    if (actual !== expected) {
      const a = actual.split('\n');
      const e = expected.split('\n');
      const at = e.findIndex((line, i) => line !== a[i]);
      throw new Error(
        `web/src/api.gen.ts is not what the service publishes at /api/docs-json (first difference at line ${at + 1}: ` +
          `file has ${JSON.stringify(a[at] ?? '(end of file)')}, the service gives ${JSON.stringify(e[at] ?? '(end of file)')}). ` +
          'Regenerate it with: npm run api:types',
      );
    }
  });

  it('knows the desk and the wall by their answers, not as unknown', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body as OpenApiDocument;
    const text = renderApiTypes(doc);
    expect(text).toMatch(/"\/api\/desk": \{\n\s+\/\*\*[^\n]*\*\/\n\s+get: \{[\s\S]*?response: DeskView;/);
    expect(text).toMatch(/"\/api\/wall": \{\n\s+\/\*\*[^\n]*\*\/\n\s+get: \{[\s\S]*?response: WallView;/);
  });

  it('turns schemas into TypeScript', () => {
    expect(typeOf({ type: 'string', enum: ['red', 'green'] })).toBe('"red" | "green"');
    expect(typeOf({ type: 'array', items: { $ref: '#/components/schemas/Row' } })).toBe('Row[]');
    expect(typeOf({ type: 'string', nullable: true })).toBe('string | null');
    expect(typeOf({ type: 'object', additionalProperties: { type: 'integer' } })).toBe('Record<string, number>');
    expect(typeOf({ type: 'object', properties: { a: { type: 'boolean' }, 'b-c': { type: 'number' } }, required: ['a'] })).toBe(
      '{\n  a: boolean;\n  "b-c"?: number;\n}',
    );
    expect(typeOf({ type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'number' }] } })).toBe('(string | number)[]');
  });
});
