/** A word as a POSIX shell reads it back unchanged: bare when it is safe, single-quoted otherwise. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
