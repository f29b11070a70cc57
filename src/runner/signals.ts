// The first SIGINT/SIGTERM aborts the run, which then reverts every fault;
// a second one exits at once with 130 (the ledger lets `shakedown cleanup`
// finish the job).
import { InterruptedError } from '../errors.ts';
import type { EventBus } from '../core/events.ts';

export function interruptOnSignals(bus: EventBus, controller: AbortController, exit: (code: number) => never = process.exit): () => void {
  let received = 0;
  const onSignal = (name: NodeJS.Signals) => {
    received++;
    if (received === 1) {
      bus.log('warn', `${name}: stopping and reverting every fault (again to exit at once; then run shakedown cleanup)`);
      controller.abort(new InterruptedError(`interrupted by ${name}`));
    } else {
      exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
