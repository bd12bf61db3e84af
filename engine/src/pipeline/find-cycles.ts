/**
 * Finds the loops in a wiring (Tarjan's strongly connected components), each
 * as the node ids in wire order, so an error can name every node of a loop.
 */
export function findCycles(nodeIds: readonly string[], edges: readonly { from: { node: string }; to: { node: string } }[]): string[][] {
  const next = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  for (const edge of edges) next.get(edge.from.node)?.push(edge.to.node);

  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;

  // Iterative so that a long chain cannot overflow the call stack.
  for (const root of nodeIds) {
    if (index.has(root)) continue;
    const work: { id: string; child: number }[] = [{ id: root, child: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const children = next.get(frame.id) ?? [];
      if (frame.child < children.length) {
        const child = children[frame.child++]!;
        if (!next.has(child)) continue;
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ id: child, child: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(child)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        const selfLoop = component.length === 1 && (next.get(frame.id) ?? []).includes(frame.id);
        if (component.length > 1 || selfLoop) cycles.push(orderAlongWires(component, next));
      }
    }
  }
  return cycles;
}

/** Puts a component's members in an order that follows wires, starting from its first id in file order. */
function orderAlongWires(component: string[], next: Map<string, string[]>): string[] {
  const members = new Set(component);
  const start = component[component.length - 1]!;
  const ordered = [start];
  const seen = new Set(ordered);
  let current = start;
  for (;;) {
    const step = (next.get(current) ?? []).find((id) => members.has(id) && !seen.has(id));
    if (!step) break;
    ordered.push(step);
    seen.add(step);
    current = step;
  }
  for (const id of component) if (!seen.has(id)) ordered.push(id);
  return ordered;
}
