/**
 * The project's own ESLint rules (the `restora/` prefix in eslint.config.js):
 *   no-import-cycle  no module reaches itself through its imports, type-only
 *                    imports included (import-x/no-cycle skips those, and a
 *                    cycle through types still ties modules into one knot);
 *   file-name        components PascalCase.tsx, every other file kebab-case;
 *   opening-doc      a source file opens with a /** doc comment saying what
 *                    it is (what runs there and how, for entry files).
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Relative imports of a file on disk, resolved to files (NodeNext: './x.js' is x.ts or x.tsx), cached per run. */
const edges = new Map();

function resolveImport(fromFile, spec) {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(fromFile), spec);
  const stem = base.replace(/\.(js|mjs|jsx)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (/\.(json)$/.test(candidate)) return null;
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      /* try the next candidate */
    }
  }
  return null;
}

function importsOnDisk(file) {
  let out = edges.get(file);
  if (!out) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    out = [...new Set(info.importedFiles.map((i) => resolveImport(file, i.fileName)).filter(Boolean))];
    edges.set(file, out);
  }
  return out;
}

/** A path of imports from `start` back to `target`, or null. */
function pathBack(start, target) {
  const seen = new Set();
  const stack = [[start, [start]]];
  while (stack.length) {
    const [file, trail] = stack.pop();
    if (file === target) return trail;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const next of importsOnDisk(file)) if (!seen.has(next)) stack.push([next, [...trail, next]]);
  }
  return null;
}

const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow import cycles, type-only imports included' },
    schema: [],
    messages: { cycle: 'Import cycle: {{cycle}}' },
  },
  create(context) {
    const file = context.filename;
    const root = context.cwd;
    const check = (node) => {
      if (!node.source || typeof node.source.value !== 'string') return;
      const target = resolveImport(file, node.source.value);
      if (!target || target === file) return;
      const back = pathBack(target, file);
      if (back) context.report({ node: node.source, messageId: 'cycle', data: { cycle: [file, ...back].map((f) => path.relative(root, f)).join(' → ') } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

const fileName = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Components are PascalCase.tsx; every other file is kebab-case' },
    schema: [],
    messages: { name: '{{name}}: name components PascalCase (PhotoGrid.tsx) and other files kebab-case (tile-plan.ts)' },
  },
  create(context) {
    return {
      Program(node) {
        const name = path.basename(context.filename);
        const kebab = /^[a-z0-9]+(-[a-z0-9]+)*(\.(test|config))?\.(ts|tsx|mjs|js)$/;
        const pascal = /^[A-Z][A-Za-z0-9]*\.tsx$/;
        if (!kebab.test(name) && !pascal.test(name)) context.report({ node, messageId: 'name', data: { name } });
      },
    };
  },
};

const openingDoc = {
  meta: {
    type: 'suggestion',
    docs: { description: 'A source file opens with a /** doc comment' },
    schema: [],
    messages: { missing: 'Open the file with a /** doc comment: what this module is (for an entry file, what runs here and how to run it)' },
  },
  create(context) {
    return {
      Program(node) {
        const first = context.sourceCode.getAllComments().find((c) => c.type !== 'Shebang');
        const firstCode = node.body[0]?.range[0] ?? Infinity;
        const ok = first && first.type === 'Block' && first.value.startsWith('*') && first.range[1] <= firstCode;
        if (!ok) context.report({ node, loc: { line: 1, column: 0 }, messageId: 'missing' });
      },
    };
  },
};

export default { meta: { name: 'restora' }, rules: { 'no-import-cycle': noImportCycle, 'file-name': fileName, 'opening-doc': openingDoc } };
