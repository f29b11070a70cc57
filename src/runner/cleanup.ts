// The run's undo stack. Every revert is recorded (in memory and in the
// ledger) before the change it undoes; unwinding is LIFO, each revert gets a
// fresh timeout instead of the aborted run signal, and a failing revert never
// stops the others nor hides the error that started the unwind.
import { randomUUID } from 'node:crypto';
import pRetry from 'p-retry';
import { abortable } from '../core/abort.ts';
import type { EventBus } from '../core/events.ts';
import type { Ledger } from './ledger.ts';
import type { HandlerLookup, RevertAction, RevertContext, Reverts } from '../core/reverts.ts';

export const DEFAULT_REVERT_TIMEOUT_MS = 60_000;
/** Attempts per revert within its timeout. Handlers are idempotent, so a retry is safe;
 * one API call that hangs (seen once in CI: a taint PATCH with no answer for 60 s) must not
 * spend the whole budget and leave the change applied. */
export const REVERT_ATTEMPTS = 3;

export interface CleanupDeps {
  ledger: Ledger;
  handlers: HandlerLookup;
  bus: EventBus;
  /** Builds what a revert needs, around its own fresh signal. */
  context: (signal: AbortSignal) => RevertContext;
  timeoutMs?: number;
}

export class CleanupStack implements Reverts {
  readonly #stack: RevertAction[] = [];
  readonly deps: CleanupDeps;

  constructor(deps: CleanupDeps) {
    this.deps = deps;
  }

  /** Records a revert; call it before applying the change it undoes. */
  register(scope: string, handler: string, args: Record<string, unknown>, description: string): RevertAction {
    if (!this.deps.handlers(handler)) throw new Error(`no revert handler named ${handler}`);
    const action: RevertAction = { id: randomUUID(), handler, args, scope, description };
    this.deps.ledger.append({ op: 'register', action, t: Date.now() });
    this.#stack.push(action);
    return action;
  }

  /** Drops a revert whose change turned out not to be needed (e.g. nothing was applied). */
  forget(action: RevertAction): void {
    const index = this.#stack.indexOf(action);
    if (index >= 0) this.#stack.splice(index, 1);
    this.deps.ledger.append({ op: 'done', id: action.id, t: Date.now() });
  }

  get pending(): readonly RevertAction[] {
    return this.#stack;
  }

  /** Reverts (LIFO) every action in `scope`, or all of them; returns the errors. */
  async unwind(scope?: string): Promise<Error[]> {
    const errors: Error[] = [];
    for (let i = this.#stack.length - 1; i >= 0; i--) {
      const action = this.#stack[i]!;
      if (scope !== undefined && action.scope !== scope) continue;
      this.#stack.splice(i, 1);
      const error = await runRevert(action, this.deps);
      if (error) errors.push(error);
    }
    return errors;
  }
}

/** Runs one revert with its own timeout and records the outcome. */
export async function runRevert(action: RevertAction, deps: CleanupDeps): Promise<Error | undefined> {
  const handler = deps.handlers(action.handler);
  const timeoutMs = deps.timeoutMs ?? DEFAULT_REVERT_TIMEOUT_MS;
  const budget = AbortSignal.timeout(timeoutMs);
  try {
    if (!handler) throw new Error(`no revert handler named ${action.handler}`);
    await pRetry(
      async () => {
        const attempt = AbortSignal.any([budget, AbortSignal.timeout(Math.ceil(timeoutMs / REVERT_ATTEMPTS))]);
        await abortable(handler(action.args, deps.context(attempt)), attempt);
      },
      { retries: REVERT_ATTEMPTS - 1, minTimeout: 200, maxTimeout: 1_000, signal: budget },
    );
    deps.ledger.append({ op: 'done', id: action.id, t: Date.now() });
    deps.bus.emit({ kind: 'cleanup', action: action.description, ok: true });
    return undefined;
  } catch (cause) {
    const error = cause instanceof Error ? cause : new Error(String(cause));
    deps.ledger.append({ op: 'revert-failed', id: action.id, error: error.message, t: Date.now() });
    deps.bus.emit({ kind: 'cleanup', action: action.description, ok: false, message: error.message });
    return new Error(`revert "${action.description}" failed: ${error.message}`, { cause: error });
  }
}
