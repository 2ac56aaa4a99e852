// Shared test doubles for pure modules.
import type { KeyValueStore } from '../../src/state/resultStore';

/** An in-memory Memento. */
export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.parse(JSON.stringify(value)) as unknown);
  }
}

/** A translator that fills {n} placeholders (English). */
export function t(message: string, ...args: (string | number)[]): string {
  return message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
}
