/**
 * Live updates over Server-Sent Events. One timer, running only while someone listens, builds
 * one update per tick and writes the same text to every client: the cost on the system is one
 * snapshot per tick whatever the number of clients, and a client that reads too slowly skips
 * updates instead of growing a buffer.
 *
 * @module
 */
import type { ServerResponse } from 'node:http';

/** Bytes a client may leave unread before it skips updates. */
export const MAX_UNREAD_BYTES = 256 * 1024;

/** @internal */
export class LiveUpdates {
  private readonly clients = new Set<ServerResponse>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private building = false;
  /** Updates built (for tests and the cost statement). */
  ticks = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly maxClients: number,
    private readonly build: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
    /** Runs when the first client connects, and when the last one leaves. */
    private readonly watching: (on: boolean) => void = () => {},
  ) {}

  get size(): number {
    return this.clients.size;
  }

  /** Adds a client; false when full. */
  add(res: ServerResponse, headers: Readonly<Record<string, string>>): boolean {
    if (this.clients.size >= this.maxClients) return false;
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    res.write(`retry: ${Math.max(1000, this.intervalMs)}\n\n`);
    this.clients.add(res);
    if (this.clients.size === 1) this.watching(true);
    res.on('close', () => {
      if (!this.clients.delete(res)) return;
      if (this.clients.size === 0) {
        this.stop();
        this.watching(false);
      }
    });
    if (this.timer === null) {
      this.timer = setInterval(() => void this.tick(), this.intervalMs);
      this.timer.unref();
    }
    void this.tick();
    return true;
  }

  private async tick(): Promise<void> {
    if (this.building) return; // never two snapshots at once, however slow one is
    this.building = true;
    try {
      const data = `data: ${JSON.stringify(await this.build())}\n\n`;
      this.ticks++;
      for (const res of this.clients) if (res.writableLength < MAX_UNREAD_BYTES) res.write(data);
    } catch (error) {
      this.onError(error);
    } finally {
      this.building = false;
    }
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  close(): void {
    this.stop();
    const had = this.clients.size > 0;
    for (const res of this.clients) res.end();
    this.clients.clear();
    if (had) this.watching(false);
  }
}
