/**
 * Incoming messages in bounded slices, with back-pressure per socket.
 *
 * Each message is handled at once while the current slice of the event loop has time left (the
 * normal case: no added latency). Once a slice has used `sliceMs`, further messages are queued on
 * their socket's inbox and handled at the next turns of the event loop, a few per socket in turn
 * (round robin), each turn again at most `sliceMs`; between turns the event loop serves HTTP,
 * timers and other I/O. So one socket's burst cannot starve other agreements, HTTP or /api/health.
 *
 * A socket whose inbox holds `highWater` messages (or `highWaterBytes`) is paused — the server
 * stops reading it and TCP flow control slows the sender to what the server handles — and resumed
 * once the inbox is down to a quarter of that. Queued work is therefore bounded per socket (plus
 * the one read chunk ws still parses after a pause).
 */
export interface InboundOptions {
  sliceMs: number;
  highWater: number;
  highWaterBytes: number;
}

export const defaultInboundOptions: InboundOptions = { sliceMs: 8, highWater: 1000, highWaterBytes: 4 * 1024 * 1024 };

/** Messages handled per inbox per visit of the round robin. */
const PER_VISIT = 32;

type Frame = Buffer | ArrayBuffer | Buffer[];

export class InboundScheduler {
  /** When the current slice began (-1: none open). */
  private sliceStart = -1;
  private turnScheduled = false;
  private readonly waiting = new Set<Inbox>();

  constructor(readonly options: InboundOptions = defaultInboundOptions) {}

  /** Whether a message may be handled now, in the current slice. */
  mayRunNow(): boolean {
    const now = performance.now();
    if (this.sliceStart < 0) {
      this.sliceStart = now;
      this.scheduleTurn(); // the slice ends at the next turn
      return true;
    }
    return now - this.sliceStart < this.options.sliceMs;
  }

  wait(inbox: Inbox): void {
    this.waiting.add(inbox);
    this.scheduleTurn();
  }

  forget(inbox: Inbox): void {
    this.waiting.delete(inbox);
  }

  private scheduleTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(this.turn);
  }

  private turn = (): void => {
    this.turnScheduled = false;
    const start = performance.now();
    this.sliceStart = start;
    const { sliceMs } = this.options;
    while (this.waiting.size > 0 && performance.now() - start < sliceMs) {
      for (const inbox of this.waiting) {
        inbox.runSome(PER_VISIT);
        if (inbox.size === 0) this.waiting.delete(inbox);
        if (performance.now() - start >= sliceMs) break;
      }
    }
    // still waiting: this slice stays used up until the next turn, so messages that arrive in
    // between queue behind the waiting ones; otherwise the next message opens a fresh slice
    if (this.waiting.size > 0) this.scheduleTurn();
    else this.sliceStart = -1;
  };
}

/** One socket's queue of messages not handled yet. */
export class Inbox {
  private queue: Frame[] = [];
  private head = 0;
  private bytes = 0;
  private paused = false;

  constructor(
    private readonly scheduler: InboundScheduler,
    private readonly handle: (frame: Frame) => void,
    private readonly flow: { pause(): void; resume(): void },
  ) {}

  get size(): number {
    return this.queue.length - this.head;
  }

  receive(frame: Frame): void {
    if (this.size === 0 && this.scheduler.mayRunNow()) {
      this.handle(frame);
      return;
    }
    this.queue.push(frame);
    this.bytes += frameBytes(frame);
    this.scheduler.wait(this);
    const o = this.scheduler.options;
    if (!this.paused && (this.size >= o.highWater || this.bytes >= o.highWaterBytes)) {
      this.paused = true;
      this.flow.pause();
    }
  }

  runSome(n: number): void {
    for (let i = 0; i < n && this.size > 0; i++) this.handleNext();
    this.compactQueue();
    const o = this.scheduler.options;
    if (this.paused && this.size <= o.highWater / 4 && this.bytes <= o.highWaterBytes / 4) {
      this.paused = false;
      this.flow.resume();
    }
  }

  /** Handle everything still queued now (the socket closed: what it sent before is not lost). */
  drain(): void {
    while (this.size > 0) this.handleNext();
    this.compactQueue();
    this.scheduler.forget(this);
  }

  private handleNext(): void {
    const frame = this.queue[this.head]!;
    this.queue[this.head++] = undefined as unknown as Frame;
    this.bytes -= frameBytes(frame);
    this.handle(frame);
  }

  private compactQueue(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

function frameBytes(f: Frame): number {
  return Array.isArray(f) ? f.reduce((n, b) => n + b.byteLength, 0) : f.byteLength;
}
