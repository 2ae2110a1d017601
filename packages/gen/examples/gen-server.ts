import { ActorSystem } from '@joerl/core';
import { type Call, CallTimeoutError, type From, GenServer, type GenServerDefinition, reply } from '@joerl/gen';

// The protocol: each call request declares its reply type; casts have none.
type BankCall =
  | Call<{ kind: 'balance' }, number>
  | Call<{ kind: 'withdraw'; amount: number }, 'ok' | 'insufficient'>
  | Call<{ kind: 'await_deposit' }, number>;
type BankCast = { kind: 'deposit'; amount: number };

interface Account {
  balance: number;
  waiting: From<number>[]; // callers to answer later
}

const account: GenServerDefinition<Account, number, BankCall, BankCast> = {
  type: 'account',
  init: (opening) => GenServer.ok({ balance: opening, waiting: [] }),
  handleCall(request, from, state) {
    switch (request.kind) {
      case 'balance':
        return GenServer.reply(state.balance, state);
      case 'withdraw':
        if (request.amount > state.balance) return GenServer.reply('insufficient', state);
        return GenServer.reply('ok', { ...state, balance: state.balance - request.amount });
      case 'await_deposit':
        // Keep `from` and reply later: the caller waits, the server goes on.
        return GenServer.noreply({ ...state, waiting: [...state.waiting, from] });
    }
  },
  handleCast(request, state) {
    const balance = state.balance + request.amount;
    for (const from of state.waiting) reply(from, balance);
    return GenServer.noreply({ balance, waiting: [] });
  },
};

const system = new ActorSystem();
const acct = await GenServer.start(system, account, 100, { name: 'acct' });

const balance: number = await acct.call({ kind: 'balance' }); // typed by the request
console.log(`balance: ${balance}`);
console.log(`withdraw 150: ${await acct.call({ kind: 'withdraw', amount: 150 })}`);

const waiter = acct.call({ kind: 'await_deposit' });
acct.cast({ kind: 'deposit', amount: 50 });
console.log(`deposit seen by the waiting caller: ${await waiter}`);

// A call nobody answers in time rejects with a typed error (the default timeout is 5000 ms).
try {
  await acct.call({ kind: 'await_deposit' }, { timeoutMs: 10 });
} catch (error) {
  if (error instanceof CallTimeoutError) console.log(`timed out: ${error.code}`);
}

await system.shutdown();
