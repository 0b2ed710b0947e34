import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export type Grammar = 'terraform' | 'typescript' | 'tsx' | 'python';

const grammarFiles: Record<Grammar, { file: string; packageName: string }> = {
  terraform: { file: 'tree-sitter-terraform.wasm', packageName: '@tree-sitter-grammars/tree-sitter-hcl' },
  typescript: { file: 'tree-sitter-typescript.wasm', packageName: 'tree-sitter-typescript' },
  tsx: { file: 'tree-sitter-tsx.wasm', packageName: 'tree-sitter-typescript' },
  python: { file: 'tree-sitter-python.wasm', packageName: 'tree-sitter-python' },
};

/**
 * The wasm files sit next to the bundle in dist/ (copied by the build); from sources and tests they
 * are found in node_modules.
 */
function locateWasm(file: string, packageName: string): string {
  const besideBundle = path.join(__dirname, file);
  if (fs.existsSync(besideBundle)) return besideBundle;
  // Not every package exports ./package.json; its folder is found on the resolution paths instead.
  for (const folder of require.resolve.paths(packageName) ?? []) {
    const candidate = path.join(folder, packageName, file);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`${file} not found: reinstall the extension (npm ci when developing)`);
}

let initialised: Promise<void> | undefined;
const languages = new Map<Grammar, Promise<Language>>();

function init(): Promise<void> {
  initialised ??= Parser.init({
    locateFile: (name: string) => locateWasm(name, 'web-tree-sitter'),
  });
  return initialised;
}

export async function loadGrammar(grammar: Grammar): Promise<Language> {
  await init();
  let language = languages.get(grammar);
  if (!language) {
    const { file, packageName } = grammarFiles[grammar];
    language = Language.load(fs.readFileSync(locateWasm(file, packageName)));
    languages.set(grammar, language);
  }
  return language;
}

/** A parser for one grammar. Parsers are cheap; languages are loaded once per process. */
export async function createParser(grammar: Grammar): Promise<Parser> {
  const language = await loadGrammar(grammar);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
