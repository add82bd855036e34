/** Where the bar goes: stderr, or a fake in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  write(s: string): unknown;
}

/**
 * Whether to draw: `DMA_LINT_PROGRESS=1` forces it, `=0` turns it off; otherwise only when
 * stderr is a terminal. Never with --quiet.
 */
export function progressEnabled(quiet: boolean, stream: ProgressStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (quiet) return false;
  if (env.DMA_LINT_PROGRESS === '1') return true;
  if (env.DMA_LINT_PROGRESS === '0') return false;
  return stream.isTTY === true;
}

const WIDTH = 24;
const INTERVAL_MS = 100;

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const t = Math.max(0, Math.round(s));
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
}

/** One line, redrawn in place at most every 100 ms, erased by `clear()`. */
export class Progress {
  private done = 0;
  private lastDraw = 0;
  private shown = false;
  private readonly started: number;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly total: number,
    private readonly stream: ProgressStream,
    private readonly enabled: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
    if (enabled && total > 0) {
      this.draw();
      // Keeps the rate and time left moving while a slow file holds every server.
      this.timer = setInterval(() => this.draw(), 1000);
      this.timer.unref();
    }
  }

  /** `n` more files done (cache hits arrive in one batch). */
  tick(n = 1): void {
    this.done += n;
    if (!this.enabled) return;
    if (this.now() - this.lastDraw >= INTERVAL_MS || this.done === this.total) this.draw();
  }

  /** Erases the bar (before other stderr output, and at the end). */
  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }

  /** Stops redrawing and erases the bar. */
  finish(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  /** Writes a line of stderr text without tearing the bar; it is redrawn on the next tick. */
  interrupt(write: () => void): void {
    this.clear();
    write();
    this.lastDraw = 0;
  }

  line(): string {
    const elapsed = (this.now() - this.started) / 1000;
    const rate = elapsed > 0 ? this.done / elapsed : 0;
    const left = rate > 0 ? (this.total - this.done) / rate : Infinity;
    const filled = this.total > 0 ? Math.round((this.done / this.total) * WIDTH) : WIDTH;
    const bar = `${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}`;
    return `[${bar}] ${this.done}/${this.total} files  ${rate.toFixed(1)} files/s  ${this.done >= this.total ? 'done' : `~${duration(left)} left`}`;
  }

  private draw(): void {
    this.lastDraw = this.now();
    this.shown = true;
    this.stream.write(`\r\x1b[K${this.line()}`);
  }
}
