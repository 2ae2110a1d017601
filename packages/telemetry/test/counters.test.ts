import { describe, expect, it } from 'vitest';
import { deferred, instrumented } from './helpers.js';

describe('counters are exact', () => {
  it('after N sends, sent and processed both equal N', async () => {
    const { system, telemetry } = instrumented({ sampling: { timing: 0.01 } });
    const done = deferred();
    let n = 0;
    const ref = system.spawn<number>(() => {
      if (++n === 1000) done.resolve();
    }, { type: 'worker' });
    for (let i = 0; i < 1000; i++) ref.send(i);
    expect(telemetry.value('joerl_messages_sent_total', { type: 'worker' })).toBe(1000);
    await done.promise;
    expect(telemetry.value('joerl_messages_processed_total', { type: 'worker' })).toBe(1000);
    // 1% timing sampling takes exactly one message in a hundred
    expect(telemetry.value('joerl_message_processing_duration_seconds', { type: 'worker' })).toBe(10);
    expect(telemetry.value('joerl_message_queue_wait_seconds', { type: 'worker' })).toBe(10);
  });

  it('counts spawns, live actors, exits by reason, panics and lifetimes', async () => {
    const { system, telemetry, clock } = instrumented({ shortLivedMs: 1000 });
    const a = system.spawn<string>((m) => {
      throw new Error(m);
    }, { type: 'job' });
    const b = system.spawn(() => {}, { type: 'job' });
    system.spawn(() => {}, { type: 'job' });
    expect(telemetry.value('joerl_actors_spawned_total', { type: 'job' })).toBe(3);
    expect(telemetry.value('joerl_actors_active', { type: 'job' })).toBe(3);
    clock.advance(500);
    a.send('boom');
    await system.join(a);
    clock.advance(1500);
    system.exit(b, 'shutdown');
    await system.join(b);
    expect(telemetry.value('joerl_actors_active', { type: 'job' })).toBe(1);
    expect(telemetry.value('joerl_actors_stopped_total', { type: 'job', reason: 'error' })).toBe(1);
    expect(telemetry.value('joerl_actors_stopped_total', { type: 'job', reason: 'shutdown' })).toBe(1);
    expect(telemetry.value('joerl_actors_stopped_total', { type: 'job', reason: 'normal' })).toBe(0);
    expect(telemetry.value('joerl_actors_panicked_total', { type: 'job' })).toBe(1);
    expect(telemetry.value('joerl_short_lived_actors_total', { type: 'job' })).toBe(1);
    const lifetime = telemetry.histogram('joerl_actor_lifetime_seconds', { type: 'job' });
    expect(lifetime?.count).toBe(2);
    expect(lifetime?.sum).toBeCloseTo(0.5 + 2.0, 9);
  });

  it('counts failed sends by reason, with the target type when known', async () => {
    const { system, telemetry } = instrumented();
    const dead = system.spawn(() => {}, { type: 'gone' });
    system.exit(dead, 'kill');
    await system.join(dead);
    system.send(dead, 'late');
    system.send('nobody', 'hello');
    const tiny = system.spawn(() => {}, { type: 'tiny', mailbox: { capacity: 1 } });
    tiny.send(1);
    tiny.send(2);
    const dropper = system.spawn(() => {}, { type: 'dropper', mailbox: { capacity: 1, overflow: 'drop-oldest' } });
    dropper.send(1);
    dropper.send(2);
    expect(telemetry.value('joerl_messages_sent_failed_total', { type: 'gone', reason: 'noproc' })).toBe(1);
    expect(telemetry.value('joerl_messages_sent_failed_total', { type: '(unknown)', reason: 'noproc' })).toBe(1);
    expect(telemetry.value('joerl_messages_sent_failed_total', { type: 'tiny', reason: 'mailbox_full' })).toBe(1);
    expect(telemetry.value('joerl_messages_dropped_total', { type: 'dropper', reason: 'drop_oldest' })).toBe(1);
    expect(telemetry.value('joerl_mailbox_full_total', { type: 'tiny' })).toBe(1);
    expect(telemetry.value('joerl_mailbox_full_total', { type: 'dropper' })).toBe(1);
  });

  it('mailbox depth and utilization are current values that fall back to 0 once drained', async () => {
    const { system, telemetry } = instrumented();
    const gate = deferred();
    let first = true;
    const make = () =>
      system.spawn<number>(async () => {
        if (first) {
          first = false;
          await gate.promise;
        }
      }, { type: 'queue', mailbox: { capacity: 100 } });
    const a = make();
    const b = make();
    a.send(0);
    await system.idle(); // a is stuck on its first message
    for (let i = 0; i < 40; i++) a.send(i);
    for (let i = 0; i < 10; i++) b.send(i);
    // nothing has run since these sends: both mailboxes hold them
    expect(telemetry.value('joerl_mailbox_depth', { type: 'queue' })).toBe(50);
    expect(telemetry.value('joerl_mailbox_depth_max', { type: 'queue' })).toBe(40);
    expect(telemetry.value('joerl_mailbox_utilization_ratio', { type: 'queue' })).toBe(0.4);
    expect(telemetry.value('joerl_mailbox_memory_bytes', { type: 'queue' })).toBe(50 * (8 + 64));
    await system.idle();
    expect(telemetry.value('joerl_mailbox_depth', { type: 'queue' })).toBe(40); // b drained, a still stuck
    gate.resolve();
    await gate.promise;
    await system.idle();
    expect(telemetry.value('joerl_mailbox_depth', { type: 'queue' })).toBe(0);
    expect(telemetry.value('joerl_mailbox_depth_max', { type: 'queue' })).toBe(0);
    expect(telemetry.value('joerl_mailbox_utilization_ratio', { type: 'queue' })).toBe(0);
    expect(telemetry.value('joerl_mailbox_memory_bytes')).toBe(0);
  });

  it('counts signals sent, received and ignored, exit signals by reason, links and monitors', async () => {
    const { system, telemetry } = instrumented();
    const trapper = system.spawn({ receive() {}, handleSignal() {} }, { type: 'trapper', trapExit: true });
    const plain = system.spawn(() => {}, { type: 'plain' });
    const child = system.spawn<string>((m) => {
      throw new Error(m);
    }, { type: 'child', link: trapper });
    system.monitor(child, () => {});
    system.exit(plain, 'normal'); // ignored: plain does not trap exits
    child.send('boom');
    await system.join(child);
    await system.idle();
    expect(telemetry.value('joerl_links_created_total')).toBe(1);
    expect(telemetry.value('joerl_monitors_created_total')).toBe(1);
    expect(telemetry.value('joerl_signals_sent_total', { type: '(system)' })).toBe(1);
    expect(telemetry.value('joerl_signals_sent_total', { type: 'child' })).toBe(1);
    expect(telemetry.value('joerl_signals_received_total', { type: 'plain' })).toBe(1);
    expect(telemetry.value('joerl_signals_ignored_total', { type: 'plain' })).toBe(1);
    expect(telemetry.value('joerl_signals_received_total', { type: 'trapper' })).toBe(1);
    expect(telemetry.value('joerl_signals_ignored_total', { type: 'trapper' })).toBe(0);
    expect(telemetry.value('joerl_exit_signals_total', { reason: 'normal' })).toBe(1);
    expect(telemetry.value('joerl_exit_signals_total', { reason: 'error' })).toBe(1);
  });

  it('times processing and queue wait exactly, by the system clock', async () => {
    const { system, telemetry, clock } = instrumented();
    const gate = deferred();
    const ref = system.spawn<number>(async () => {
      clock.advance(3); // 3 ms "of work"
      await gate.promise;
    }, { type: 'timed' });
    ref.send(1);
    clock.advance(5); // it waited 5 ms in the mailbox
    await system.idle();
    gate.resolve();
    await gate.promise;
    await system.idle();
    const wait = telemetry.histogram('joerl_message_queue_wait_seconds', { type: 'timed' });
    const processing = telemetry.histogram('joerl_message_processing_duration_seconds', { type: 'timed' });
    expect(wait?.count).toBe(1);
    expect(wait?.sum).toBeCloseTo(0.005, 9);
    expect(processing?.sum).toBeCloseTo(0.003, 9);
    // cumulative buckets: 5 ms falls in le=0.005 and above
    expect(wait?.cumulative[wait.bounds.indexOf(0.0025)]).toBe(0);
    expect(wait?.cumulative[wait.bounds.indexOf(0.005)]).toBe(1);
  });

  it('reads the clock once per timed message in a batch, and the timings stay exact', async () => {
    const { system, telemetry, clock } = instrumented();
    const n = 200;
    const ref = system.spawn<number>(() => clock.advance(3), { type: 'batched' }); // 3 ms of work each
    let reads = 0;
    const now = clock.now.bind(clock);
    clock.now = () => {
      reads++;
      return now();
    };
    for (let i = 0; i < n; i++) ref.send(i); // one batch of sends: stamped with one reading
    await system.idle();
    // the sends' reading, the first start, then one end per message (the next message's start)
    expect(reads).toBe(1 + 1 + n);
    const wait = telemetry.histogram('joerl_message_queue_wait_seconds', { type: 'batched' });
    const processing = telemetry.histogram('joerl_message_processing_duration_seconds', { type: 'batched' });
    expect(processing?.count).toBe(n);
    expect(processing?.sum).toBeCloseTo(0.003 * n, 9);
    // message k (from 0) waited behind k messages of 3 ms each
    expect(wait?.count).toBe(n);
    expect(wait?.sum).toBeCloseTo((0.003 * (n * (n - 1))) / 2, 9);
  });

  it('folds actor types beyond the label cap into "(other)" and counts the overflow', () => {
    const { system, telemetry } = instrumented({ labelCap: 3 });
    for (const type of ['a', 'b', 'c', 'd', 'e']) system.spawn(() => {}, { type });
    expect(telemetry.value('joerl_actors_spawned_total', { type: 'c' })).toBe(1);
    expect(telemetry.value('joerl_actors_spawned_total', { type: '(other)' })).toBe(2);
    expect(telemetry.value('joerl_actors_spawned_total', { type: 'd' })).toBe(0);
    expect(telemetry.value('joerl_telemetry_label_overflow_total', { label: 'type' })).toBe(2);
  });

  it('a stopped actor\'s unhandled messages leave the depth gauges', async () => {
    const { system, telemetry } = instrumented();
    const gate = deferred();
    const ref = system.spawn<number>(() => gate.promise, { type: 'stuck' });
    for (let i = 0; i < 5; i++) ref.send(i);
    await system.idle();
    expect(telemetry.value('joerl_mailbox_depth', { type: 'stuck' })).toBe(4);
    system.exit(ref, 'kill');
    await system.join(ref);
    expect(telemetry.value('joerl_mailbox_depth', { type: 'stuck' })).toBe(0);
    expect(telemetry.value('joerl_actors_stopped_total', { type: 'stuck', reason: 'killed' })).toBe(1);
  });
});
