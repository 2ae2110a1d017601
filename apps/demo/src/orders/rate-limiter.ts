/** A token bucket: admission control for new orders. */
import { type Call, GenServer, type GenServerDefinition } from '@joerl/gen';

export type LimiterCall = Call<{ kind: 'acquire' }, boolean>;
type Tick = { kind: 'refill' };

export function rateLimiter(perSecond: number, burst: number): GenServerDefinition<{ tokens: number }, null, LimiterCall, never, Tick> {
  const everyMs = 100;
  return {
    type: 'rate_limiter',
    init(_arg, ctx) {
      ctx.sendAfter(ctx.self, { kind: 'refill' }, everyMs);
      return GenServer.ok({ tokens: burst });
    },
    handleCall(_req, _from, state) {
      if (state.tokens < 1) return GenServer.reply(false, state);
      return GenServer.reply(true, { tokens: state.tokens - 1 });
    },
    handleInfo(_msg, state, ctx) {
      ctx.sendAfter(ctx.self, { kind: 'refill' }, everyMs);
      return GenServer.noreply({ tokens: Math.min(burst, state.tokens + (perSecond * everyMs) / 1000) });
    },
  };
}
