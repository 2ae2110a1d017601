import { ActorSystem, TestClock } from '@joerl/core';

const clock = new TestClock();
const system = new ActorSystem({ clock });
const seen: string[] = [];
const ref = system.spawn<string>((m) => void seen.push(m), { type: 'ticker' });
system.sendAfter(ref, 'tick', 1000);
clock.advance(999); // not yet
clock.advance(1); // fires the timer: 'tick' is enqueued
await system.idle(); // and handled
console.log(seen); // [ 'tick' ]
