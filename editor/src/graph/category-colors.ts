/** A thin stripe on each node's header tells its family apart, as node editors colour headers by kind. */
const CATEGORY_COLORS: Readonly<Record<string, string>> = {
  Input: '#b06a5c',
  Camera: '#58b09c',
  Generation: '#8f7bd1',
  Edit: '#5a9fd8',
  Output: '#cbb26a',
  // Uses of reusable graphs (reusable/use-node-spec.ts); the editing banner's frame has the same colour.
  'Reusable graphs': '#c07fb8',
};

export function categoryColor(category: string | undefined): string {
  return (category !== undefined ? CATEGORY_COLORS[category] : undefined) ?? '#6c727c';
}
