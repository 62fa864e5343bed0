/**
 * Training progress for people: a one-line bar redrawn in place on a terminal, plain lines (at most one per tenth
 * of the work) when the output is a file or a CI log, so logs do not fill with carriage returns.
 */
export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): unknown;
}

export class ProgressBar {
  private lastTenth = -1;
  private finished = false;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: ProgressSink = process.stderr,
    private readonly width = 30,
  ) {}

  update(done: number, detail = ''): void {
    if (this.finished) return;
    const fraction = this.total > 0 ? Math.min(1, Math.max(0, done / this.total)) : 1;
    const percent = Math.floor(fraction * 100);
    if (this.out.isTTY) {
      const filled = Math.round(fraction * this.width);
      this.out.write(
        `\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${String(percent).padStart(3)}% ${detail}`,
      );
    } else {
      const tenth = Math.floor(fraction * 10);
      if (tenth === this.lastTenth) return;
      this.lastTenth = tenth;
      this.out.write(`${this.label} ${percent}% ${detail}\n`);
    }
    if (fraction >= 1) this.finish();
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.out.isTTY) this.out.write('\n');
  }
}
