/** Turns a media failure into an error shown on the node, saying which file or step it concerns. */
import { CancelledError, NodeError } from '../sdk/define-node.ts';
import { LimitError } from '../sdk/limits.ts';

/** Cancellation passes unchanged; a limit error stays one; anything else becomes a NodeError. All but cancellation get `context` in front. */
export function withContext(error: unknown, context: string): unknown {
  if (error instanceof CancelledError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof LimitError ? new LimitError(`${context}: ${message}`) : new NodeError(`${context}: ${message}`);
}
