import { type Document, isMap, isPair, isScalar, isSeq, type Node } from "yaml";

export interface DuplicateKey {
  /** The repeated key's node, and the first one it repeats. */
  key: Node;
  first: Node;
  name: string;
}

/**
 * Keys that appear twice in one mapping, found in one pass with a set per mapping. (The yaml
 * package's own `uniqueKeys` check compares each key with every earlier one: 25,000 keys took
 * 25 seconds.) Keys compare by their value, so `a` and `"a"` are the same field.
 */
export function duplicateKeys(document: Document.Parsed): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const pending: unknown[] = [document.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Map<string, Node>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          const name = `${typeof pair.key.value}:${String(pair.key.value)}`;
          const first = seen.get(name);
          if (first) found.push({ key: pair.key, first, name: String(pair.key.value) });
          else seen.set(name, pair.key);
        }
        pending.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) pending.push(isPair(item) ? item.value : item);
    }
  }
  return found.sort((a, b) => (a.key.range?.[0] ?? 0) - (b.key.range?.[0] ?? 0));
}
