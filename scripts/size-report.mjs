// Size report (issue text: "files over 400 lines and functions over 80 lines are split where a split makes them
// easier to read; where not, say why at the top"). Lists the product files of electron/, shared/ and renderer/
// over FILE_LIMIT lines and the functions over FUNCTION_LIMIT lines (measured with the TypeScript compiler's own
// parser, so arrow functions, methods and nested functions count like declarations). A file that keeps its size
// on purpose says why in a `// Long on purpose: …` line near its top; the report shows that reason instead of
// flagging it. Informative only: `npm test` does not fail on it. Run: `node scripts/size-report.mjs [--tests]
// [--json] [dir ...]`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

/** Lines a file may have before the report lists it. */
export const FILE_LIMIT = 400;
/** Lines a function may have before the report lists it. */
export const FUNCTION_LIMIT = 80;
/** The marker a file uses to say why it stays long (searched in its first lines). */
export const REASON_MARKER = '// Long on purpose:';
const REASON_LINES = 15;

/** Every .ts/.tsx file under `dir`, skipping node_modules and build output; tests only when `withTests`. */
export function sourceFiles(dir, withTests = false) {
  const out = [];
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'dist' || e.name === 'out' || e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') && (withTests || !/\.(test|e2e\.test)\.tsx?$/.test(e.name))) out.push(p);
    }
  };
  visit(dir);
  return out.sort();
}

/** A readable name for a function node: its declared name, the variable or property it is assigned to, or `<anonymous>`. */
function functionName(node, sf) {
  if (ts.isConstructorDeclaration(node)) return `${className(node.parent)}.constructor`;
  if (node.name) {
    const own = node.name.getText(sf);
    return ts.isClassLike(node.parent) ? `${className(node.parent)}.${own}` : own;
  }
  const p = node.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && p.name) {
    const own = p.name.getText(sf);
    return ts.isPropertyDeclaration(p) ? `${className(p.parent)}.${own}` : own;
  }
  if (p && ts.isCallExpression(p)) return `<callback of ${p.expression.getText(sf).slice(0, 40)}>`;
  return '<anonymous>';
}

function className(node) {
  return node?.name?.text ?? '<class>';
}

/** The size facts of one file's text: its line count, the functions over `functionLimit` lines, and its stated reason. */
export function measure(path, text, functionLimit = FUNCTION_LIMIT) {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
  const functions = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
      const length = end - start + 1;
      if (length > functionLimit) functions.push({ name: functionName(node, sf), line: start, lines: length });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const head = text.split('\n').slice(0, REASON_LINES);
  const reasonLine = head.find((l) => l.trimStart().startsWith(REASON_MARKER));
  const reason = reasonLine ? reasonLine.trimStart().slice(REASON_MARKER.length).trim() : undefined;
  return { lines, functions, reason };
}

/** The report rows for `dirs` under `root`: every file over the file limit or with a function over the function limit. */
export function sizeReport(dirs, { root = process.cwd(), withTests = false, fileLimit = FILE_LIMIT, functionLimit = FUNCTION_LIMIT } = {}) {
  const rows = [];
  for (const d of dirs) {
    for (const p of sourceFiles(join(root, d), withTests)) {
      const m = measure(p, readFileSync(p, 'utf8'), functionLimit);
      if (m.lines > fileLimit || m.functions.length) rows.push({ path: relative(root, p), ...m, isLong: m.lines > fileLimit });
    }
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const withTests = args.includes('--tests');
  const asJson = args.includes('--json');
  const dirs = args.filter((a) => !a.startsWith('--'));
  const rows = sizeReport(dirs.length ? dirs : ['electron', 'shared', 'renderer'], { withTests });
  if (asJson) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    for (const r of rows) {
      const what = [r.isLong ? `${r.lines} lines` : undefined, ...r.functions.map((f) => `${f.name} (line ${f.line}) ${f.lines} lines`)].filter(Boolean);
      console.log(`${r.reason ? 'kept ' : 'SPLIT'} ${r.path}: ${what.join('; ')}${r.reason ? `\n      why: ${r.reason}` : ''}`);
    }
    const open = rows.filter((r) => !r.reason).length;
    console.log(`\n${rows.length} file(s) over ${FILE_LIMIT} lines or with a function over ${FUNCTION_LIMIT} lines; ${rows.length - open} say why they stay, ${open} do not`);
  }
}
