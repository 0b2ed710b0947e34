/**
 * Parses kept by file path, so that re-analysing as you type re-parses only what changed (or, for
 * YAML templates, only the edited entry). Bounded by the size of the texts kept: the least recently
 * used go first.
 */
const KEPT_TEXT_LIMIT = 16 * 1024 * 1024;

export class KeptParses<T extends { text: string }> {
  private readonly byPath = new Map<string, T>();
  private textLength = 0;

  /** `dispose` frees what garbage collection does not (a tree in wasm memory) when a parse is dropped. */
  constructor(private readonly dispose: (parse: T) => void = () => undefined) {}

  get(path: string): T | undefined {
    return this.byPath.get(path);
  }

  keep(path: string, parse: T): void {
    if (this.byPath.get(path) === parse) {
      // Maps iterate in insertion order: moving it last makes the least recently used file go first.
      this.byPath.delete(path);
      this.byPath.set(path, parse);
      return;
    }
    this.forget(path);
    this.byPath.set(path, parse);
    this.textLength += parse.text.length;
    for (const [oldest] of this.byPath) {
      if (this.textLength <= KEPT_TEXT_LIMIT || oldest === path) break;
      this.forget(oldest);
    }
  }

  forget(path: string): void {
    const previous = this.byPath.get(path);
    if (!previous) return;
    this.byPath.delete(path);
    this.textLength -= previous.text.length;
    this.dispose(previous);
  }
}
