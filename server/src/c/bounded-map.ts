/**
 * Remembers `value` under `key` as the newest entry, dropping the oldest once `max` are held:
 * the caches of parsed headers, build files and file texts that a server keeps across many
 * files, whose size must not grow with the tree.
 */
export function rememberBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}
