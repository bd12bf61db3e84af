/**
 * Which inputs a node shows. Growing inputs (concat's clip3, clip4, …) appear
 * as wires arrive: every wired one, and the first free one to wire next, so a
 * concat of three shots shows four clip inputs, not thirty-two.
 */
export function shownInputs(inputs: Readonly<Record<string, { growing?: boolean }>>, wired: readonly string[]): string[] {
  const names = Object.keys(inputs);
  const freeGrowing = names.find((name) => inputs[name]!.growing && !wired.includes(name));
  return names.filter((name) => !inputs[name]!.growing || wired.includes(name) || name === freeGrowing);
}

/** Whether any of a node's inputs grows (its shown inputs then depend on its wires). */
export function hasGrowingInputs(inputs: Readonly<Record<string, { growing?: boolean }>>): boolean {
  return Object.values(inputs).some((spec) => spec.growing === true);
}
