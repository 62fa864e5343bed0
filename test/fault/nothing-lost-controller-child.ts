import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { NothingLostControllerArgs } from './nothing-lost-controller.ts';

/** The controller child died or never said it started: its exit code or signal says how. */
export class ControllerChildError extends Error {
  override readonly name = 'ControllerChildError';
}

const ENTRY = fileURLToPath(new URL('./nothing-lost-controller.ts', import.meta.url));

/**
 * Starts, SIGKILLs and restarts the controller child (nothing-lost-controller.ts). Each start is a fresh process on
 * the same configuration, outbox file and clock anchor, as an operator's supervisor would restart it.
 */
export class ControllerChild {
  private child: ChildProcess | null = null;
  /** How many times it was killed with SIGKILL. */
  kills = 0;
  starts = 0;

  constructor(
    private readonly args: NothingLostControllerArgs,
    private readonly oracleMnemonic: string,
  ) {}

  get running(): boolean {
    return this.child !== null;
  }

  /** Resolves once the controller service runs (drivers, cycle and ledger started). */
  async start(): Promise<void> {
    if (this.child) throw new ControllerChildError('the controller child is already running');
    const child = fork(ENTRY, [JSON.stringify(this.args)], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, GRIDCOOP_ORACLE_MNEMONIC: this.oracleMnemonic, GRIDCOOP_API_TOKEN: '' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.child = child;
    this.starts += 1;
    const started = once(child, 'message').then(() => 'started' as const);
    const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
    const first = await Promise.race([started, exited]);
    if (first !== 'started') {
      this.child = null;
      throw new ControllerChildError(
        `the controller child exited before it started (code ${String(first.code)}, signal ${String(first.signal)})`,
      );
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

  /** SIGTERM: the clean stop (API, then service and ledger); a kill if it does not end in `boundMs`. */
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
