// Waiting for the cluster to reach a state: a read, polled until a judge
// says done, failed, or the time is up. What `kubectl wait` and `kubectl
// rollout status` did, with the last thing seen kept to say why it did not.
import { sleep } from '../core/abort.ts';
import { apiMessage, statusOf } from './client.ts';

/** A judge's verdict on one read: `status` says where things stand, in words for a failure message. */
export interface Progress {
  state: 'done' | 'waiting' | 'failed';
  status: string;
}

export type WaitOutcome = { done: true } | { done: false; timedOut: boolean; why: string };

export interface WaitOptions {
  timeoutMs: number;
  signal: AbortSignal;
  /** Between reads; a second keeps a deploy of a few deployments snappy without loading the API. */
  pollMs?: number;
}

const POLL_MS = 1000;

/**
 * Reads until `judge` says done or failed, or the time runs out. A 404 ends
 * the wait at once (what is awaited is not there, and kubectl said so too);
 * other read errors count as a blip and are retried. An abort of the
 * caller's signal rethrows its reason.
 */
export async function waitUntil<T>(read: (signal: AbortSignal) => Promise<T>, judge: (value: T) => Progress, options: WaitOptions): Promise<WaitOutcome> {
  const deadline = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  let last = 'nothing read yet';
  while (!deadline.aborted) {
    try {
      const progress = judge(await read(deadline));
      if (progress.state === 'done') return { done: true };
      if (progress.state === 'failed') return { done: false, timedOut: false, why: progress.status };
      last = progress.status;
    } catch (error) {
      if (deadline.aborted) break;
      if (statusOf(error) === 404) return { done: false, timedOut: false, why: apiMessage(error) };
      last = apiMessage(error);
    }
    await sleep(options.pollMs ?? POLL_MS, deadline);
  }
  if (options.signal.aborted) throw options.signal.reason;
  return { done: false, timedOut: true, why: last };
}

/** "timed out after 180s: <last seen>", or the reason it failed outright. */
export function describeFailure(outcome: { timedOut: boolean; why: string }, timeoutMs: number): string {
  return outcome.timedOut ? `timed out after ${timeoutMs / 1000}s: ${outcome.why}` : outcome.why;
}
