/**
 * Which inputs a node shows. Growing inputs (concat's clip3, clip4, …) appear
 * as wires arrive: every wired one, and the first free one to wire next, so a
 * concat of three shots shows four clip inputs, not thirty-two.
 */
export function shownInputs<S extends { growing?: boolean }>(inputs: Readonly<Record<string, S>>, wired: readonly string[]): [string, S][] {
  const entries = Object.entries(inputs);
  const freeGrowing = entries.find(([name, spec]) => spec.growing && !wired.includes(name))?.[0];
  return entries.filter(([name, spec]) => !spec.growing || wired.includes(name) || name === freeGrowing);
}

/** Whether any of a node's inputs grows (its shown inputs then depend on its wires). */
export function hasGrowingInputs(inputs: Readonly<Record<string, { growing?: boolean }>>): boolean {
  return Object.values(inputs).some((spec) => spec.growing === true);
}
