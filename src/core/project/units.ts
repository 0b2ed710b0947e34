/**
 * Which files form one analysis unit (a project), which unit a file belongs to, and which units to
 * analyse again after a file changes: the one answer `check`, the editor and the language server use.
 * Paths here are absolute file-system paths read through a WorkspaceFs; callers rename them.
 */
import * as path from 'node:path';
import type { AnalysisUnit, SourceFile } from '../model/source';
import { detectFormat } from '../parse';
import { moduleCandidates } from '../parse/cdk/cdkApp';
import { isSkipped, lowerCdkFile } from '../parse/cdk/parseCdk';
import { pythonLanguage } from '../parse/cdkPython';
import { typescriptLanguage } from '../parse/cdkTypescript';
import { linkedTemplateGroups } from '../parse/cloudformation';
import { ASSEMBLY_MANIFEST, assemblyStacks, isAssemblyManifestPath } from '../parse/cloudformation/assembly';
import { isLocalModuleSource, localModuleFolder, MODULES_MANIFEST, moduleSources, modulesManifestDirs } from '../parse/terraform/project';
import type { WorkspaceFs } from './workspace';

/** How many folders up a module's folder looks for the root that calls it. */
const ROOT_SEARCH_DEPTH = 6;

/** Folders that hold generated or vendored files, never the user's sources. */
export const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.terraform', 'cdk.out', '.aws-sam']);

async function terraformFilesOf(folder: string, fs: WorkspaceFs): Promise<SourceFile[]> {
  if ((await fs.kind(folder)) !== 'directory') return [];
  const names = (await fs.listDir(folder)).filter((entry) => entry.isFile && entry.name.toLowerCase().endsWith('.tf')).map((entry) => entry.name);
  const files: SourceFile[] = [];
  for (const name of names.sort()) {
    const file = path.join(folder, name);
    try {
      files.push({ path: file, text: await fs.readFile(file) });
    } catch {
      // An unreadable file is left out, as terraform would fail on it anyway.
    }
  }
  return files;
}

export interface TerraformProject {
  /** The root folder and every module folder it reaches, root first. */
  folders: string[];
  /** Their .tf files, and the root's `.terraform/modules/modules.json` when there is one. */
  files: SourceFile[];
}

/**
 * A Terraform root with the folders of the local modules it calls (transitively) and of the modules
 * `terraform init` downloaded; the modules this analysis models by hand are not read from disk.
 */
export async function terraformProject(root: string, fs: WorkspaceFs): Promise<TerraformProject> {
  const folders = [path.normalize(root)];
  const files: SourceFile[] = [];
  const manifestPath = path.join(root, ...MODULES_MANIFEST.split('/'));
  if ((await fs.kind(manifestPath)) === 'file') {
    const text = await fs.readFile(manifestPath);
    files.push({ path: manifestPath, text });
    for (const dir of modulesManifestDirs(text, root)?.values() ?? []) if (!folders.includes(path.normalize(dir))) folders.push(path.normalize(dir));
  }
  const rootFiles: SourceFile[] = [];
  for (let i = 0; i < folders.length; i++) {
    const folderFiles = await terraformFilesOf(folders[i], fs);
    (i === 0 ? rootFiles : files).push(...folderFiles);
    for (const source of await moduleSources(folderFiles)) {
      if (!isLocalModuleSource(source)) continue;
      const folder = path.normalize(localModuleFolder(folders[i], source));
      if (!folders.includes(folder)) folders.push(folder);
    }
  }
  return { folders, files: [...rootFiles, ...files] };
}

/**
 * The root a Terraform folder is analysed in: the highest folder above it, up to `stopAt`, whose
 * modules include it; the folder itself when none does.
 */
export async function terraformRootOf(folder: string, fs: WorkspaceFs, stopAt?: string): Promise<string> {
  let root = path.normalize(folder);
  let candidate = root;
  for (let depth = 0; depth < ROOT_SEARCH_DEPTH; depth++) {
    if (stopAt !== undefined && path.relative(stopAt, candidate) === '') break;
    const parent = path.dirname(candidate);
    if (parent === candidate) break;
    candidate = parent;
    if ((await terraformFilesOf(candidate, fs)).length === 0) continue;
    if ((await terraformProject(candidate, fs)).folders.includes(root)) root = candidate;
  }
  return root;
}

/** The Terraform unit of a .tf file: its root with the modules the root calls. */
export async function terraformUnitOf(file: string, fs: WorkspaceFs, stopAt?: string): Promise<AnalysisUnit> {
  const root = await terraformRootOf(path.dirname(file), fs, stopAt);
  return { format: 'terraform', root, files: (await terraformProject(root, fs)).files };
}

const TEMPLATE_EXTENSIONS = ['.yaml', '.yml', '.json', '.template'];

/**
 * The cloud assembly a folder holds, as one unit: its `manifest.json` and every stack template the
 * manifest lists (a listed template that cannot be read is left out). Undefined when the folder has
 * no manifest of stacks. `own` is a file of it with its current text (unsaved edits count).
 */
export async function cloudAssemblyUnit(folder: string, fs: WorkspaceFs, own?: SourceFile): Promise<AnalysisUnit | undefined> {
  const manifestPath = path.join(folder, ASSEMBLY_MANIFEST);
  if ((await fs.kind(manifestPath)) !== 'file') return undefined;
  let manifestText: string;
  try {
    manifestText = await fs.readFile(manifestPath);
  } catch {
    return undefined;
  }
  const stacks = assemblyStacks(manifestPath, manifestText);
  if (!stacks) return undefined;
  const files: SourceFile[] = [{ path: manifestPath, text: manifestText }];
  for (const { templateFile } of stacks) {
    if (own?.path === templateFile) {
      files.push(own);
      continue;
    }
    try {
      files.push({ path: templateFile, text: await fs.readFile(templateFile) });
    } catch {
      // A template the manifest names but the folder lacks: what it would define stays unknown.
    }
  }
  return { format: 'cloudformation', root: folder, files: files.sort((a, b) => (a.path < b.path ? -1 : 1)) };
}

/**
 * The CloudFormation unit of a template: the cloud assembly whose manifest lists it; otherwise it and
 * the templates of its folder linked to it by exports and imports. `text` is the template's current
 * text (unsaved edits count).
 */
export async function cloudFormationUnitOf(file: string, text: string, fs: WorkspaceFs): Promise<AnalysisUnit> {
  const folder = path.dirname(file);
  const assembly = await cloudAssemblyUnit(folder, fs, { path: file, text });
  if (assembly?.files.some((template) => template.path === file)) return assembly;
  const templates: SourceFile[] = [{ path: file, text }];
  let entries: { name: string; isFile: boolean }[] = [];
  try {
    entries = await fs.listDir(folder);
  } catch {
    // A folder that cannot be listed leaves the template alone.
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const other = path.join(folder, entry.name);
    if (!entry.isFile || other === file || !TEMPLATE_EXTENSIONS.some((extension) => entry.name.toLowerCase().endsWith(extension))) continue;
    try {
      const otherText = await fs.readFile(other);
      if (detectFormat(other, otherText) === 'cloudformation') templates.push({ path: other, text: otherText });
    } catch {
      // An unreadable file is no template of the unit.
    }
  }
  const group = linkedTemplateGroups(templates).find((candidate) => candidate.some((template) => template.path === file)) ?? [templates[0]];
  // In path order, so that every template of the unit gives it the same key.
  const files = group.sort((a, b) => (a.path < b.path ? -1 : 1));
  return files.length > 1 ? { format: 'cloudformation', root: folder, files } : { format: 'cloudformation', files };
}

/**
 * The nearest folder above a file, up to and including `stopAt`, that holds a file of one of these
 * names (a CDK app's `cdk.json`, a project's `package.json`…).
 */
async function nearestFolderWith(file: string, names: readonly string[], fs: WorkspaceFs, stopAt?: string): Promise<string | undefined> {
  let folder = path.dirname(file);
  for (let depth = 0; depth <= ROOT_SEARCH_DEPTH; depth++) {
    for (const name of names) if ((await fs.kind(path.join(folder, name))) === 'file') return folder;
    if (stopAt !== undefined && path.relative(stopAt, folder) === '') return undefined;
    const parent = path.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
  return undefined;
}

/** The folder above a CDK source file, up to `stopAt`, that holds the app's `cdk.json`. */
function cdkAppRootOf(file: string, fs: WorkspaceFs, stopAt?: string): Promise<string | undefined> {
  return nearestFolderWith(file, ['cdk.json'], fs, stopAt);
}

/** The entry file `cdk.json` runs (`npx ts-node bin/app.ts`, `python3 app.py`), when it names one that exists. */
async function cdkAppEntry(root: string, fs: WorkspaceFs): Promise<string | undefined> {
  let app: unknown;
  try {
    app = (JSON.parse(await fs.readFile(path.join(root, 'cdk.json'))) as { app?: unknown }).app;
  } catch {
    return undefined;
  }
  if (typeof app !== 'string') return undefined;
  for (const word of app.split(/\s+/)) {
    if (!/\.(ts|py)$/.test(word)) continue;
    const entry = path.join(root, word);
    if ((await fs.kind(entry)) === 'file') return entry;
  }
  return undefined;
}

/** The CDK files reachable from `start` through the project's own imports, `start` first. */
async function cdkFilesReachable(start: SourceFile, format: 'cdk-typescript' | 'cdk-python', root: string, fs: WorkspaceFs): Promise<SourceFile[]> {
  const files = [start];
  const language = format === 'cdk-python' ? pythonLanguage : typescriptLanguage(start);
  for (let i = 0; i < files.length; i++) {
    const lowered = await lowerCdkFile(files[i], language);
    if (isSkipped(lowered)) continue;
    for (const { module } of lowered.localImports.values()) {
      for (const candidate of moduleCandidates(files[i].path, module, root)) {
        if (files.some((file) => file.path === candidate) || (await fs.kind(candidate)) !== 'file') continue;
        try {
          files.push({ path: candidate, text: await fs.readFile(candidate) });
        } catch {
          // An unreadable module is left out; what it would define stays unknown.
        }
        break;
      }
    }
  }
  return files;
}

/** The files that mark a project's folder, where a CDK app without `cdk.json` keeps its sources. */
const PROJECT_MARKERS: Record<'cdk-typescript' | 'cdk-python', string[]> = {
  'cdk-typescript': ['package.json', 'tsconfig.json'],
  'cdk-python': ['pyproject.toml', 'setup.py', 'requirements.txt'],
};
/** Bounds on the search for the files that import a file: a folder that is not a project stays cheap. */
const MAX_PROJECT_FOLDERS = 200;
const MAX_PROJECT_SOURCES = 300;

/**
 * Where to look for the files that import a CDK file of an app without `cdk.json`: the nearest folder
 * above it, up to `stopAt`, with a project marker; otherwise its folder's parent (an app's `bin/`
 * beside its `lib/`), or its own folder when the parent is above `stopAt`.
 */
async function cdkProjectFolderOf(file: string, format: 'cdk-typescript' | 'cdk-python', fs: WorkspaceFs, stopAt?: string): Promise<string> {
  const isAboveStop = (folder: string) => stopAt !== undefined && path.relative(stopAt, folder).startsWith('..');
  const marked = isAboveStop(path.dirname(file)) ? undefined : await nearestFolderWith(file, PROJECT_MARKERS[format], fs, stopAt);
  if (marked) return marked;
  const parent = path.dirname(path.dirname(file));
  return isAboveStop(parent) ? path.dirname(file) : parent;
}

/** The CDK source files of one language under a folder, outside generated folders and other apps (a folder with its own `cdk.json`). */
async function cdkSourcesUnder(folder: string, format: 'cdk-typescript' | 'cdk-python', fs: WorkspaceFs): Promise<SourceFile[]> {
  const extension = format === 'cdk-python' ? '.py' : '.ts';
  const sources: SourceFile[] = [];
  const folders = [folder];
  for (let i = 0; i < folders.length && i < MAX_PROJECT_FOLDERS && sources.length < MAX_PROJECT_SOURCES; i++) {
    let entries: { name: string; isFile: boolean; isDirectory: boolean }[];
    try {
      entries = (await fs.listDir(folders[i])).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      continue;
    }
    if (i > 0 && entries.some((entry) => entry.isFile && entry.name === 'cdk.json')) continue;
    for (const entry of entries) {
      const child = path.join(folders[i], entry.name);
      if (entry.isDirectory && !SKIPPED_FOLDERS.has(entry.name)) folders.push(child);
      if (!entry.isFile || !entry.name.endsWith(extension) || entry.name.endsWith('.d.ts')) continue;
      try {
        const text = await fs.readFile(child);
        if (detectFormat(child, text) === format) sources.push({ path: child, text });
      } catch {
        // An unreadable file imports nothing this search can see.
      }
    }
  }
  return sources;
}

/** The project modules each file imports, by file path and text: the server asks again on every edit, and most files have not changed. */
const importsCache = new Map<string, { text: string; modules: string[] }>();
const IMPORTS_CACHE_SIZE = 2_000;

async function localModulesOf(source: SourceFile, format: 'cdk-typescript' | 'cdk-python'): Promise<string[]> {
  const cached = importsCache.get(source.path);
  if (cached?.text === source.text) return cached.modules;
  const lowered = await lowerCdkFile(source, format === 'cdk-python' ? pythonLanguage : typescriptLanguage(source));
  const modules = isSkipped(lowered) ? [] : [...new Set([...lowered.localImports.values()].map(({ module }) => module))];
  if (importsCache.size >= IMPORTS_CACHE_SIZE) importsCache.clear();
  importsCache.set(source.path, { text: source.text, modules });
  return modules;
}

/**
 * An app without `cdk.json`: the files of its project linked to `own` by imports in either
 * direction (the files that import it, what they import, and so on), so that every one of them
 * gets the same unit. Named by its first entry, a file no other file of it imports.
 */
async function cdkImportGroup(own: SourceFile, format: 'cdk-typescript' | 'cdk-python', fs: WorkspaceFs, stopAt?: string): Promise<SourceFile[]> {
  const folder = await cdkProjectFolderOf(own.path, format, fs, stopAt);
  const sources = (await cdkSourcesUnder(folder, format, fs)).map((source) => (source.path === own.path ? own : source));
  if (!sources.includes(own)) sources.push(own);
  const byPath = new Map(sources.map((source) => [source.path, source]));
  const links = new Map<string, Set<string>>(sources.map((source) => [source.path, new Set()]));
  const imported = new Set<string>();
  for (const source of sources) {
    for (const module of await localModulesOf(source, format)) {
      const target = moduleCandidates(source.path, module, folder).find((candidate) => byPath.has(candidate));
      if (target === undefined || target === source.path) continue;
      links.get(source.path)!.add(target);
      links.get(target)!.add(source.path);
      imported.add(target);
    }
  }
  const group = [own.path];
  for (let i = 0; i < group.length; i++) for (const linked of links.get(group[i])!) if (!group.includes(linked)) group.push(linked);
  const files = group.sort().map((file) => byPath.get(file)!);
  const entry = files.find((file) => !imported.has(file.path)) ?? files[0];
  return [entry, ...files.filter((file) => file !== entry)];
}

/**
 * The CDK app of a source file: with a `cdk.json` above it, every file its entry reaches through
 * imports (a file the entry does not reach, such as a test, stays on its own, as does every file when
 * the entry cannot be found); without one, the files of its project linked to it by imports, either
 * way (see {@link cdkImportGroup}). `text` is the file's current text.
 */
export async function cdkUnitOf(file: string, text: string, format: 'cdk-typescript' | 'cdk-python', fs: WorkspaceFs, stopAt?: string): Promise<AnalysisUnit> {
  const own: SourceFile = { path: file, text };
  const root = await cdkAppRootOf(file, fs, stopAt);
  const entry = root && (await cdkAppEntry(root, fs));
  if (root && entry) {
    const entryFile = entry === file ? own : { path: entry, text: await fs.readFile(entry) };
    const files = await cdkFilesReachable(entryFile, format, root, fs);
    const index = files.findIndex((candidate) => candidate.path === file);
    if (index >= 0) {
      files[index] = own;
      return { format, root, files: sortedCdkFiles(files) };
    }
    // A file the app does not run (a test, a script) alone: with the stacks it imports it would report their findings twice.
    return { format, files: [own] };
  }
  // A cdk.json whose entry cannot be found leaves the file with what it imports; it names the unit (first), so that it never shares the key of its app's unit.
  if (root) return { format, files: await cdkFilesReachable(own, format, root, fs) };
  return { format, files: await cdkImportGroup(own, format, fs, stopAt) };
}

function sortedCdkFiles(files: SourceFile[]): SourceFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** A stable identity for a unit: a Terraform root's folder; otherwise its first file (a folder may hold several template units). */
export function unitKey(unit: AnalysisUnit): string {
  return `${unit.format}:${(unit.format === 'terraform' || unit.format.startsWith('cdk-')) && unit.root ? unit.root : (unit.files[0]?.path ?? '')}`;
}

/** Of the units the caller holds, those that read a file: analyse them again after it changes. */
export function unitsContaining<T extends AnalysisUnit>(file: string, units: Iterable<T>): T[] {
  return [...units].filter((unit) => unit.files.some((candidate) => candidate.path === file));
}

const FORMAT_NAMES: Record<AnalysisUnit['format'], string> = {
  cloudformation: 'CloudFormation template',
  terraform: 'Terraform root',
  'cdk-typescript': 'CDK TypeScript file',
  'cdk-python': 'CDK Python file',
  serverless: 'Serverless Framework service',
};

/** How `check` names a unit: `infra (Terraform root, 2 modules, 5 files)`. */
export function unitName(unit: AnalysisUnit): string {
  const name = unit.root ?? unit.files[0]?.path ?? '';
  if (unit.format === 'cloudformation' && unit.files.some((file) => isAssemblyManifestPath(file.path))) return `${name} (CDK cloud assembly, ${unit.files.length - 1} templates)`;
  if (unit.format === 'cloudformation' && unit.files.length > 1) return `${name} (CloudFormation templates that import each other, ${unit.files.length} files)`;
  if (unit.format.startsWith('cdk-') && unit.files.length > 1) {
    const what = unit.root ? FORMAT_NAMES[unit.format].replace(/file$/, 'app') : `${FORMAT_NAMES[unit.format]} with the files it imports`;
    return `${name} (${what}, ${unit.files.length} files)`;
  }
  if (unit.format !== 'terraform') return `${name} (${FORMAT_NAMES[unit.format]})`;
  const folders = new Set(unit.files.filter((file) => file.path.endsWith('.tf')).map((file) => path.dirname(file.path)));
  folders.add(path.normalize(name));
  const modules = folders.size - 1;
  const files = unit.files.filter((file) => file.path.endsWith('.tf')).length;
  return `${name} (${FORMAT_NAMES.terraform}${modules > 0 ? `, ${modules} module${modules === 1 ? '' : 's'}` : ''}, ${files} file${files === 1 ? '' : 's'})`;
}
