// ESLint plugin with one rule, `import-direction`: imports point one way (docs/architecture.md §3.18). Each layer
// names the folders it covers (`from`, path prefixes from the repository root, `except` files) and either the only
// folders it may import from (`allow`) or the ones it must not (`deny`). Relative imports (static, dynamic,
// re-exports and `import('…')` types) are resolved against the importing file; package imports are not ours and
// are left to the runtime rules. Written here because eslint-plugin-import-x's no-restricted-paths needs a native
// resolver (unrs-resolver), and the house allows pure-JS dependencies only.
import { dirname, relative, resolve, sep } from 'node:path';

const toPosix = (p) => p.split(sep).join('/');
const under = (path, prefix) => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}/`));
const list = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** @type {import('eslint').Rule.RuleModule} */
const importDirection = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports point one way between the folders (shared ← services ← composition ← hosts; renderer → shared).' },
    schema: [
      {
        type: 'object',
        properties: {
          layers: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                from: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
                except: { type: 'array', items: { type: 'string' } },
                allow: { type: 'array', items: { type: 'string' } },
                deny: { type: 'array', items: { type: 'string' } },
                message: { type: 'string' },
              },
              required: ['from', 'message'],
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
    ],
    messages: { wrongWay: '{{target}}: {{message}}' },
  },
  create(context) {
    const root = context.cwd;
    const file = toPosix(relative(root, context.filename));
    const layers = (context.options[0]?.layers ?? []).filter((l) => list(l.from).some((p) => under(file, p)) && !list(l.except).includes(file));
    if (layers.length === 0) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = toPosix(relative(root, resolve(dirname(context.filename), source)));
      if (target.startsWith('..')) return;
      for (const l of layers) {
        const isAllowed = l.allow ? l.allow.some((p) => under(target, p)) : true;
        const isDenied = list(l.deny).some((p) => under(target, p));
        if (!isAllowed || isDenied) context.report({ node, messageId: 'wrongWay', data: { target, message: l.message } });
      }
    };
    return {
      ImportDeclaration: (n) => check(n.source, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
      ExportAllDeclaration: (n) => check(n.source, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value),
      TSImportType: (n) => {
        const lit = n.argument?.literal ?? n.argument;
        if (lit?.type === 'Literal') check(n, lit.value);
      },
    };
  },
};

export default { meta: { name: 'sarix-import-direction' }, rules: { 'import-direction': importDirection } };
