/**
 * Turns the paths a user names into analysis units: one per CloudFormation template, one per CDK
 * source file, one per Terraform folder (a module is every .tf file in its folder).
 */
import { type Dirent, promises as nodeFs } from 'node:fs';
import * as path from 'node:path';
import type { AnalysisUnit, SkippedFile, SourceFile } from './model/source';
import { detectFormat, unrecognisedReason } from './parse';

/** Folders that hold generated or vendored files, never the user's sources. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.terraform', 'cdk.out', '.aws-sam']);

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
  const terraformFolders = new Map<string, { display: string; files: SourceFile[] }>();

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
    const file = { path: candidate.display, text };
    if (format !== 'terraform') {
      units.push({ format, files: [file] });
      return;
    }
    const folder = path.dirname(candidate.absolute);
    const group = terraformFolders.get(folder);
    if (group) {
      group.files.push(file);
      return;
    }
    const created = { display: path.dirname(candidate.display), files: [file] };
    terraformFolders.set(folder, created);
    units.push({ format: 'terraform', files: created.files });
    if (named) await completeTerraformFolder(folder, created.display);
  }

  async function completeTerraformFolder(folder: string, display: string): Promise<void> {
    const entries = (await fs.listDir(folder)).sort(byName);
    for (const entry of entries) {
      if (entry.isFile && entry.name.toLowerCase().endsWith('.tf')) await add({ display: path.join(display, entry.name), absolute: path.join(folder, entry.name) }, false);
    }
  }

  for (const candidate of explicit) await add(candidate, true);
  for (const candidate of found) await add(candidate, false);
  for (const group of terraformFolders.values()) group.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  unrecognised.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { units, skipped, unrecognised };
}
