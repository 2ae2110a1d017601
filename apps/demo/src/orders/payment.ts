/** Payment: a slow, sometimes failing dependency — the kind supervision exists for. */
import { type Call, GenServer, type GenServerDefinition } from '@joerl/gen';
import type { Faults } from '../faults.js';

export type PaymentCall = Call<{ kind: 'charge'; order: string; amount: number }, 'approved' | 'declined'>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Approves most charges after a latency around `faults.slowMs`; crashes with probability `faults.crashRate`. */
export function payment(faults: Faults): GenServerDefinition<{ charged: number }, null, PaymentCall> {
  return {
    type: 'payment',
    init: () => GenServer.ok({ charged: 0 }),
    async handleCall(req, _from, state) {
      await sleep(faults.slowMs * (0.5 + Math.random()));
      if (Math.random() < faults.crashRate) throw new Error(`payment gateway connection reset while charging ${req.order}`);
      const approved = req.amount < 900 || Math.random() < 0.5;
      return GenServer.reply(approved ? ('approved' as const) : ('declined' as const), { charged: state.charged + (approved ? req.amount : 0) });
    },
  };
}
