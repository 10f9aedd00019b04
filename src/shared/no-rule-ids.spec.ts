import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Issue 14 (words): no rule id (P4, C5, E1, F2, R5 …) in anything a person reads. Rule ids stay in code comments,
 * test names, log lines and the API's `code` values; every other string or template literal under src/ is a text
 * somebody may read (a chat answer, a card, a 400 message, the 一事一卷, a 通报), so none may carry one.
 */
const SRC = path.resolve(__dirname, '..');
const RULE_ID = /(?<![0-9A-Za-z])[A-Z]\d+[：:]|「[A-Z]\d+」/;
const LOG_METHODS = new Set(['log', 'warn', 'error', 'debug', 'verbose', 'fatal', 'info']);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** A log line: an argument of this.log.x(…), logger.x(…), Logger.x(…), console.x(…), or JSON.stringify({ event … }). */
function isLogCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) {
    const receiver = callee.expression.getText();
    if (callee.name.text === 'stringify' && receiver === 'JSON') {
      const arg = call.arguments[0];
      return !!arg && ts.isObjectLiteralExpression(arg) && arg.properties.some((p) => p.name !== undefined && p.name.getText() === 'event');
    }
    if (LOG_METHODS.has(callee.name.text) && /(^|\.)(log|logger|Logger|console)$/.test(receiver)) return true;
  }
  return false;
}

/** Literals whose value is not read by people: log lines, `code:` and `spec:` values, import paths. */
function skipped(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isCallExpression(n) && isLogCall(n)) return true;
    // `code:` values are the API's contract; `spec:` values are stored deadline codes ('R9:48h'), spelled out where shown.
    if (ts.isPropertyAssignment(n) && ['code', 'spec'].includes(n.name.getText()) && n.initializer === node) return true;
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) return true;
    if (ts.isBlock(n) || ts.isSourceFile(n)) return false;
  }
  return false;
}

function literalTexts(node: ts.Node): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
  return [];
}

function findRuleIds(): string[] {
  const hits: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const visit = (node: ts.Node): void => {
      const texts = literalTexts(node);
      if (texts.length > 0) {
        const bad = texts.find((t) => RULE_ID.test(t));
        if (bad !== undefined && !skipped(node)) {
          const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
          hits.push(`${path.relative(SRC, file)}:${line + 1}  ${bad.slice(0, 80)}`);
        }
        if (!ts.isTemplateExpression(node)) return;
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return hits;
}

describe('words people read carry no rule ids (issue 14)', () => {
  it('no string or template literal under src/ (outside logs and `code:` values) names a rule id like P4： or 「C5」', () => {
    expect(findRuleIds()).toEqual([]);
  });

  it('the scan itself finds a rule id where one is', () => {
    expect(RULE_ID.test('P4：谁主办、谁反馈')).toBe(true);
    expect(RULE_ID.test('按「E1」办理')).toBe(true);
    expect(RULE_ID.test('请先签收：/签收 DB2026-0004')).toBe(false);
  });
});
