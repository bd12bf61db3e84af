/**
 * JSON helpers that work at any depth and keep `__proto__` keys as own
 * properties: the fuzz documents have both, and neither JSON.stringify (it
 * recurses and overflows) nor assignment (`o[key] = v` with the key
 * `__proto__` sets the prototype instead) will do.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Sets an own, enumerable property, even one named `__proto__`. */
export function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A deep copy that keeps `__proto__` keys as own properties; iterative, so any depth works. */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  const root: unknown = Array.isArray(value) ? [] : {};
  const stack: { from: object; to: Record<string, unknown> | unknown[] }[] = [{ from: value as object, to: root as Record<string, unknown> }];
  while (stack.length > 0) {
    const { from, to } = stack.pop()!;
    for (const key of Object.keys(from)) {
      const child = (from as Record<string, unknown>)[key];
      let copy = child;
      if (child !== null && typeof child === 'object') {
        copy = Array.isArray(child) ? [] : {};
        stack.push({ from: child, to: copy as Record<string, unknown> });
      }
      if (Array.isArray(to)) to[Number(key)] = copy;
      else setOwn(to, key, copy);
    }
  }
  return root as T;
}

/** JSON.stringify for JSON values of any depth (own `__proto__` keys included), without recursion. */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  type Item = { text: string } | { value: unknown };
  const out: string[] = [];
  const stack: Item[] = [{ value }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('text' in item) {
      out.push(item.text);
      continue;
    }
    const current = item.value;
    if (current === null || typeof current !== 'object') {
      out.push(JSON.stringify(current) ?? 'null');
      continue;
    }
    const parts: Item[] = [];
    if (Array.isArray(current)) {
      parts.push({ text: '[' });
      current.forEach((child: unknown, i) => parts.push(...(i > 0 ? [{ text: ',' }] : []), { value: child }));
      parts.push({ text: ']' });
    } else {
      parts.push({ text: '{' });
      Object.keys(current).forEach((key, i) => parts.push({ text: `${i > 0 ? ',' : ''}${JSON.stringify(key)}:` }, { value: (current as Record<string, unknown>)[key] }));
      parts.push({ text: '}' });
    }
    for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i]!);
  }
  return out.join('');
}

/** Nesting depth (0 for a scalar), computed without recursion. */
export function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    const children = Array.isArray(current) ? current : current instanceof Map || current instanceof Set ? [...current.values()] : Object.values(current);
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
  }
  return deepest;
}

/** Whether some object in `value` has `key` as an own property, at any depth. */
export function hasOwnKeyAnywhere(value: unknown, key: string): boolean {
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    if (!Array.isArray(current) && Object.hasOwn(current, key)) return true;
    for (const child of Object.values(current)) stack.push(child);
  }
  return false;
}

/** Objects and lists nested `depth` deep, built without recursion. */
export function nested(depth: number, shape: 'object' | 'array' | 'mixed', leaf: Json = 1): Json {
  let value: Json = leaf;
  for (let i = 0; i < depth; i++) {
    const asArray = shape === 'array' || (shape === 'mixed' && i % 2 === 1);
    value = asArray ? [value] : { a: value };
  }
  return value;
}
