import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The controller child died or never said it started: its exit code or signal says how. */
export class ControllerChildError extends Error {
  override readonly name = 'ControllerChildError';
}

/** The production command line: `npm run controller -- --config <file>`. */
const CLI = fileURLToPath(new URL('../../controller/src/cli/controller.ts', import.meta.url));
/** What the command line prints once the service and its API run. */
const STARTED_LINE = /operator API\s+http:\/\//;

/**
 * Starts, SIGKILLs and restarts the real controller command line as a child process. Each start is a fresh process on
 * the same configuration file (and so the same outbox file and clock anchor), as an operator's supervisor would
 * restart it. The oracle mnemonic goes in through the environment, as in production.
 */
export class ControllerChild {
  private child: ChildProcess | null = null;
  /** How many times it was killed with SIGKILL. */
  kills = 0;
  starts = 0;

  constructor(
    private readonly configPath: string,
    private readonly oracleMnemonic: string,
  ) {}

  get running(): boolean {
    return this.child !== null;
  }

  /** Resolves once the controller prints its API address (drivers, cycle and ledger started). */
  async start(boundMs = 60_000): Promise<void> {
    if (this.child) throw new ControllerChildError('the controller child is already running');
    const child = fork(CLI, ['--config', this.configPath], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, GRIDCOOP_ORACLE_MNEMONIC: this.oracleMnemonic, GRIDCOOP_API_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    this.child = child;
    this.starts += 1;
    let printed = '';
    const started = new Promise<'started'>((resolve) => {
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        // keep reading whatever it prints, or a full pipe would stall it
        if (printed.length < 10_000) printed += chunk;
        if (STARTED_LINE.test(printed)) resolve('started');
      });
    });
    const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), boundMs)));
    const first = await Promise.race([started, exited, timedOut]);
    clearTimeout(timer);
    if (first !== 'started') {
      this.child = null;
      child.kill('SIGKILL');
      const how =
        first === 'timeout'
          ? `did not start within ${boundMs} ms`
          : `exited (code ${String(first.code)}, signal ${String(first.signal)})`;
      throw new ControllerChildError(`the controller child ${how}; it printed:\n${printed}`);
    }
  }

  /** SIGKILL: no shutdown code runs, whatever it was doing (mid-cycle, mid-broadcast, mid-write). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    this.kills += 1;
  }

  /** SIGTERM: the clean stop (API, then service and ledger); a kill if it does not end within `boundMs`. */
  async stop(boundMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), boundMs);
    await exited;
    clearTimeout(timer);
  }
}
