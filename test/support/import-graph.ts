import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The packages a built module loads before any of its code runs: its static imports and re-exports, followed
 * through our own files (dynamic `import()` is not followed: that is what it is for). Each package maps to the
 * first file of ours found importing it. Reads the compiled JavaScript in dist/, which is what Node runs.
 */
export function staticPackages(entry: string): Map<string, string> {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
      const specifier = statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      const name = specifier.text;
      if (name.startsWith('.')) visit(resolve(dirname(file), name));
      else if (!name.startsWith('node:')) {
        const parts = name.split('/');
        const pkg = name.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
        if (!packages.has(pkg)) packages.set(pkg, file);
      }
    }
  };
  visit(resolve(entry));
  return packages;
}
