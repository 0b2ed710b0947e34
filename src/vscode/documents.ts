import * as vscode from 'vscode';
import { config } from './config';

/** Languages whose documents may hold infrastructure code we analyse. */
export const analysedLanguages = ['yaml', 'json', 'jsonc', 'terraform', 'typescript', 'python'];

export const documentSelector: vscode.DocumentSelector = [
  ...analysedLanguages.map((language) => ({ language, scheme: 'file' })),
  { pattern: '**/*.tf', scheme: 'file' },
];

function isTerraform(uri: vscode.Uri): boolean {
  return uri.path.endsWith('.tf');
}

function isExcluded(document: vscode.TextDocument): boolean {
  return config.exclude(document.uri).some((glob) => vscode.languages.match({ pattern: glob }, document) > 0);
}

export function isCandidate(document: vscode.TextDocument): boolean {
  if (document.uri.scheme !== 'file') return false;
  if (!isTerraform(document.uri) && !analysedLanguages.includes(document.languageId)) return false;
  return !isExcluded(document);
}
