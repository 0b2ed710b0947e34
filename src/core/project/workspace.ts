/**
 * Turns the paths a user names into analysis units: one per CloudFormation template, one per CDK
 * source file, one per Terraform root (every .tf file of its folder, with the modules it calls; a
 * folder that a collected root calls is analysed in that root, not on its own).
 */
import { type Dirent, promises as nodeFs } from 'node:fs';
import * as path from 'node:path';
import type { AnalysisUnit, SkippedFile } from '../model/source';
import { detectFormat, unrecognisedReason } from '../parse';
import { linkedTemplateGroups } from '../parse/cloudformation';
import { cdkUnitOf, cloudAssemblyUnit, SKIPPED_FOLDERS, terraformProject } from './units';

export interface DirectoryEntry {
  name: string;
  /** Of the link's target for a symbolic link; both false for a broken link. */
  isDirectory: boolean;
  isFile: boolean;
  isSymbolicLink?: boolean;
}

/** The file system as the workspace needs it; injectable for tests. */
export interface WorkspaceFs {
  readFile(absolutePath: string): Promise<string>;
  listDir(absolutePath: string): Promise<DirectoryEntry[]>;
  /** undefined when nothing exists at the path. */
  kind(absolutePath: string): Promise<'file' | 'directory' | undefined>;
  /** The path with every symbolic link resolved, so that a walk enters each folder once. */
  realPath?(absolutePath: string): Promise<string>;
}

async function directoryEntry(folder: string, entry: Dirent): Promise<DirectoryEntry> {
  if (!entry.isSymbolicLink()) return { name: entry.name, isDirectory: entry.isDirectory(), isFile: entry.isFile() };
  const target = await nodeFs.stat(path.join(folder, entry.name)).catch(() => undefined);
  return { name: entry.name, isDirectory: target?.isDirectory() === true, isFile: target?.isFile() === true, isSymbolicLink: true };
}

export const nodeWorkspaceFs: WorkspaceFs = {
  readFile: (absolutePath) => nodeFs.readFile(absolutePath, 'utf8'),
  listDir: async (absolutePath) => Promise.all((await nodeFs.readdir(absolutePath, { withFileTypes: true })).map((entry) => directoryEntry(absolutePath, entry))),
  kind: async (absolutePath) => {
    try {
      const stat = await nodeFs.stat(absolutePath);
      return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
  realPath: (absolutePath) => nodeFs.realpath(absolutePath),
};

export class MissingPathError extends Error {
  constructor(readonly missingPath: string) {
    super(`${missingPath}: no such file or directory`);
  }
}

export interface CollectOptions {
  /** Relative paths are read from here and reported as the user wrote them. */
  cwd: string;
  fs?: WorkspaceFs;
}

export interface CollectedUnits {
  units: AnalysisUnit[];
  /** Files named explicitly that are not in a supported format. */
  skipped: SkippedFile[];
  /** Files and folders met in a folder walk and not analysed, with why (`check --verbose` lists them). */
  unrecognised: SkippedFile[];
}

interface Candidate {
  /** The path as reported: joined onto what the user wrote. */
  display: string;
  absolute: string;
}

function byName(a: DirectoryEntry, b: DirectoryEntry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

interface Walk {
  fs: WorkspaceFs;
  found: Candidate[];
  unrecognised: SkippedFile[];
  /** Real path of each folder entered → its path as reported, so that a link back is not followed again. */
  entered: Map<string, string>;
}

async function walk(folder: Candidate, state: Walk): Promise<void> {
  const real = state.fs.realPath ? await state.fs.realPath(folder.absolute) : folder.absolute;
  const enteredAs = state.entered.get(real);
  if (enteredAs !== undefined) {
    state.unrecognised.push({ file: folder.display, reason: `a symbolic link to ${enteredAs}, which this walk already reads; not followed again` });
    return;
  }
  state.entered.set(real, folder.display);
  const entries = (await state.fs.listDir(folder.absolute)).sort(byName);
  for (const entry of entries) {
    const child = { display: path.join(folder.display, entry.name), absolute: path.join(folder.absolute, entry.name) };
    if (entry.isDirectory) {
      if (!SKIPPED_FOLDERS.has(entry.name)) await walk(child, state);
      else state.unrecognised.push({ file: child.display, reason: 'a folder of generated or vendored files; not walked' });
    } else if (entry.isFile) {
      state.found.push(child);
    } else if (entry.isSymbolicLink) {
      state.unrecognised.push({ file: child.display, reason: 'a symbolic link to nothing' });
    }
  }
}

/** Paths of a unit found from `candidate`, reported as the user named it: relative stays relative. */
function displayFor(candidate: Candidate): (absolute: string) => string {
  return (absolute) => path.join(path.dirname(candidate.display), path.relative(path.dirname(candidate.absolute), absolute));
}

/** Every file path once, Terraform folders completed with their other .tf files. */
export async function collectUnits(paths: string[], options: CollectOptions): Promise<CollectedUnits> {
  const fs = options.fs ?? nodeWorkspaceFs;
  const explicit: Candidate[] = [];
  const walking: Walk = { fs, found: [], unrecognised: [], entered: new Map() };
  for (const given of paths) {
    const candidate = { display: given, absolute: path.resolve(options.cwd, given) };
    const kind = await fs.kind(candidate.absolute);
    if (kind === undefined) throw new MissingPathError(given);
    if (kind === 'directory') await walk(candidate, walking);
    else explicit.push(candidate);
  }
  const { found, unrecognised } = walking;

  const units: AnalysisUnit[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  /** Files read as part of a unit found from another file (a cloud assembly's manifest): analysed, whatever the walk said of them. */
  const inUnits: string[] = [];
  const terraformFolders = new Map<string, { display: string; unit: AnalysisUnit }>();
  const templateFolders = new Map<AnalysisUnit, { folder: string; display: string }>();

  async function add(candidate: Candidate, named: boolean): Promise<void> {
    if (seen.has(candidate.absolute)) return;
    seen.add(candidate.absolute);
    const lower = candidate.absolute.toLowerCase();
    // Files that cannot be one of the formats are not read at all.
    if (!named && !/\.(tf|ya?ml|json|template|py|ts)$/.test(lower)) {
      unrecognised.push({ file: candidate.display, reason: unrecognisedReason(candidate.display) });
      return;
    }
    const text = await fs.readFile(candidate.absolute);
    const format = detectFormat(candidate.display, text);
    if (!format) {
      if (named) skipped.push({ file: candidate.display, reason: 'not a CloudFormation/SAM template, Terraform file or CDK source file' });
      else unrecognised.push({ file: candidate.display, reason: unrecognisedReason(candidate.display) });
      return;
    }
    if (format === 'cdk-typescript' || format === 'cdk-python') {
      await addCdk(candidate, text, format);
      return;
    }
    if (format === 'cloudformation' && (await addAssembly(candidate))) return;
    if (format !== 'terraform') {
      const unit: AnalysisUnit = { format, files: [{ path: candidate.display, text }] };
      if (format === 'cloudformation') templateFolders.set(unit, { folder: path.dirname(candidate.absolute), display: path.dirname(candidate.display) });
      units.push(unit);
      return;
    }
    // The folder's files and modules are read together once all paths are known.
    const folder = path.dirname(candidate.absolute);
    if (terraformFolders.has(folder)) return;
    const unit: AnalysisUnit = { format: 'terraform', root: path.dirname(candidate.display), files: [] };
    terraformFolders.set(folder, { display: unit.root!, unit });
    units.push(unit);
  }

  /** Folders already checked for a cloud assembly manifest (absolute), and whether they hold one. */
  const assemblyFolders = new Map<string, boolean>();
  /** The template as part of its folder's cloud assembly: true when a manifest lists it (the assembly is added once). */
  async function addAssembly(candidate: Candidate): Promise<boolean> {
    const folder = path.dirname(candidate.absolute);
    if (assemblyFolders.get(folder) === false) return false;
    const unit = assemblyFolders.has(folder) ? undefined : await cloudAssemblyUnit(folder, fs);
    assemblyFolders.set(folder, unit !== undefined);
    if (!unit) return false;
    const displayOf = displayFor(candidate);
    for (const file of unit.files) seen.add(file.path);
    inUnits.push(...unit.files.map((file) => displayOf(file.path)));
    units.push({ format: unit.format, root: displayOf(unit.root!), files: unit.files.map((file) => ({ path: displayOf(file.path), text: file.text })) });
    return unit.files.some((file) => file.path === candidate.absolute);
  }

  /** Absolute paths of the files already in a CDK app unit: each app is analysed once, as a whole. */
  const inCdkApps = new Set<string>();
  const singleCdkFiles = new Map<AnalysisUnit, string>();
  async function addCdk(candidate: Candidate, text: string, format: 'cdk-typescript' | 'cdk-python'): Promise<void> {
    if (inCdkApps.has(candidate.absolute)) return;
    const unit = await cdkUnitOf(candidate.absolute, text, format, fs);
    if (unit.files.length === 1) {
      const single: AnalysisUnit = { format, files: [{ path: candidate.display, text }] };
      singleCdkFiles.set(single, candidate.absolute);
      units.push(single);
      return;
    }
    const displayOf = displayFor(candidate);
    for (const file of unit.files) inCdkApps.add(file.path);
    const files = unit.files.map((file) => ({ path: displayOf(file.path), text: file.text }));
    units.push(unit.root ? { format, root: displayOf(unit.root), files } : { format, files });
  }

  for (const candidate of explicit) await add(candidate, true);
  for (const candidate of found) await add(candidate, false);

  const projects = new Map<string, string[]>();
  for (const [folder, { display, unit }] of terraformFolders) {
    const project = await terraformProject(folder, fs);
    projects.set(folder, project.folders);
    unit.files = project.files.map((file) => ({ path: path.join(display, path.relative(folder, file.path)), text: file.text }));
  }
  const calledByAnother = (folder: string) =>
    [...projects].some(([other, folders]) => other !== folder && folders.includes(folder) && !projects.get(folder)!.includes(other));
  const modules = new Set([...terraformFolders].filter(([folder]) => calledByAnother(folder)).map(([, { unit }]) => unit));
  const mergedTemplates = groupLinkedTemplates(templateFolders);
  // Without cdk.json a file may be met on its own before the file that imports it.
  const inApp = (unit: AnalysisUnit) => inCdkApps.has(singleCdkFiles.get(unit) ?? '');
  const analysed = new Set(inUnits);
  const reported = unrecognised.filter((entry) => !analysed.has(entry.file)).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { units: units.filter((unit) => !modules.has(unit) && !mergedTemplates.has(unit) && !inApp(unit)), skipped, unrecognised: reported };
}

/**
 * Templates of one folder that import each other's exports become one unit (the first one's, named
 * by the folder); returns the units merged into another.
 */
function groupLinkedTemplates(templateFolders: Map<AnalysisUnit, { folder: string; display: string }>): Set<AnalysisUnit> {
  const byFolder = new Map<string, AnalysisUnit[]>();
  for (const [unit, { folder }] of templateFolders) byFolder.set(folder, [...(byFolder.get(folder) ?? []), unit]);
  const merged = new Set<AnalysisUnit>();
  for (const folderUnits of byFolder.values()) {
    if (folderUnits.length < 2) continue;
    const unitOfFile = new Map(folderUnits.map((unit) => [unit.files[0], unit]));
    for (const group of linkedTemplateGroups(folderUnits.map((unit) => unit.files[0]))) {
      if (group.length < 2) continue;
      const first = unitOfFile.get(group[0])!;
      first.files = group;
      first.root = templateFolders.get(first)!.display;
      group.slice(1).forEach((file) => merged.add(unitOfFile.get(file)!));
    }
  }
  return merged;
}
