/**
 * Bounded capture of a command's output: keeps the first and the last bytes and counts what fell in
 * between, so a command printing gigabytes (`yes`) cannot exhaust the worker's memory.
 */
export class HeadTailBuffer {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = 0;

  constructor(private readonly maxHeadBytes: number, private readonly maxTailBytes: number) {}

  push(chunk: Buffer): void {
    if (this.headBytes < this.maxHeadBytes) {
      const take = Math.min(chunk.length, this.maxHeadBytes - this.headBytes);
      this.head.push(chunk.subarray(0, take));
      this.headBytes += take;
      chunk = chunk.subarray(take);
      if (chunk.length === 0) return;
    }
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes > this.maxTailBytes && this.tail.length > 0) {
      const excess = this.tailBytes - this.maxTailBytes;
      const first = this.tail[0]!;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
        this.dropped += excess;
      }
    }
  }

  /** Bytes seen in total, kept or not. */
  get totalBytes(): number {
    return this.headBytes + this.tailBytes + this.dropped;
  }

  /** The kept bytes; when some were dropped, a marker saying how many sits where they were. */
  toBuffer(): Buffer {
    if (this.dropped === 0) return Buffer.concat([...this.head, ...this.tail]);
    const marker = Buffer.from(`\n[... ${this.dropped} bytes of output dropped by the sandbox ...]\n`);
    return Buffer.concat([...this.head, marker, ...this.tail]);
  }
}
