import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pickFreePort } from './free-port.ts';
import { renderMosquittoConfig, type MosquittoTlsFiles } from './mosquitto-config.ts';

export interface MosquittoOptions {
  /** Working directory: config, and mosquitto.db when persistent. */
  dir: string;
  passwordFile: string;
  aclFile: string;
  host?: string;
  /** A fixed plain port; by default a free one is picked (and picked again on a clash). null: no plain listener. */
  port?: number | null;
  /** TLS listener on a picked port (or tls.port). */
  tls?: MosquittoTlsFiles & { port?: number };
  /** Keep sessions and retained messages across restart(). Default false. */
  persistence?: boolean;
  /** Log every packet, which includes the ACL's denials ("Denied PUBLISH from ..."). Default false. */
  logDebug?: boolean;
  /** Every log line Mosquitto writes (connections, errors; denials with logDebug). */
  onLog?: (line: string) => void;
  /** Picks the ports (default: pickFreePort); a test hands out a taken port to see the clash retried. */
  pickPort?: (host: string) => Promise<number>;
  /** Start attempts with freshly picked ports before giving up. Default 5. */
  maxAttempts?: number;
  /** How long Mosquitto may take to say it is running, ms. Default 10 s (a loaded 2-core machine). */
  startTimeoutMs?: number;
}

export class MosquittoStartError extends Error {
  override readonly name = 'MosquittoStartError';
}

const RUNNING = /mosquitto version \S+ running/;
const PORT_CLASH = /Address already in use/;
const RECENT_LINES = 500;

/**
 * A Mosquitto broker run in the foreground as a child of this process. It stops when its owner stops, however the
 * owner stops: a small watchdog holds a pipe from the owner and kills the broker when the pipe closes (a SIGKILLed
 * owner cannot run exit handlers).
 */
export class MosquittoBroker {
  #child: ChildProcess | null = null;
  #watchdog: ChildProcess | null = null;
  #port: number | null = null;
  #tlsPort: number | null = null;
  readonly #recent: string[] = [];
  readonly #host: string;
  readonly #removeExitHook: () => void;

  private constructor(private readonly options: MosquittoOptions) {
    this.#host = options.host ?? '127.0.0.1';
    const onExit = (): void => {
      this.#watchdog?.kill('SIGKILL');
      this.#child?.kill('SIGKILL');
    };
    process.on('exit', onExit);
    this.#removeExitHook = () => process.off('exit', onExit);
  }

  static async start(options: MosquittoOptions): Promise<MosquittoBroker> {
    const broker = new MosquittoBroker(options);
    try {
      await broker.#startWithRetry(false);
    } catch (error) {
      broker.#removeExitHook();
      throw error;
    }
    return broker;
  }

  /** mqtt://host:port of the plain listener. */
  get url(): string {
    if (this.#port === null) throw new MosquittoStartError('this broker has no plain listener');
    return `mqtt://${this.#host}:${this.#port}`;
  }

  /** mqtts://host:port of the TLS listener. */
  get tlsUrl(): string {
    if (this.#tlsPort === null) throw new MosquittoStartError('this broker has no TLS listener');
    return `mqtts://${this.#host}:${this.#tlsPort}`;
  }

  get port(): number | null {
    return this.#port;
  }

  get tlsPort(): number | null {
    return this.#tlsPort;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== null;
  }

  /** The last log lines, for a test to look for a refusal or a failing start to explain itself. */
  recentLog(): readonly string[] {
    return this.#recent;
  }

  /** Waits for a log line matching `pattern` (already written or still to come). */
  async waitForLog(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const seen = this.#recent.find((line) => pattern.test(line));
    if (seen !== undefined) return seen;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        reject(new Error(`Mosquitto logged nothing matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (line: string): void => {
        if (!pattern.test(line)) return;
        clearTimeout(timer);
        this.#listeners.delete(listener);
        resolve(line);
      };
      this.#listeners.add(listener);
    });
  }

  readonly #listeners = new Set<(line: string) => void>();

  /** Stops the broker (SIGTERM: it saves its persistence file first) and waits for it to exit. */
  async stop(): Promise<void> {
    await this.#stopProcess();
    this.#removeExitHook();
  }

  /** Stops and starts it again on the same ports (clients reconnect to the same URL). */
  async restart(): Promise<void> {
    await this.#stopProcess();
    await this.#startWithRetry(true);
  }

  /** Kills it without letting it save anything, as a crash would. */
  async kill(): Promise<void> {
    await this.#stopProcess('SIGKILL');
  }

  async #stopProcess(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    this.#child = null;
    this.#watchdog?.kill('SIGKILL');
    this.#watchdog = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const escalate = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(escalate);
  }

  async #startWithRetry(samePorts: boolean): Promise<void> {
    const attempts = this.options.maxAttempts ?? 5;
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (!samePorts || this.#port === null) await this.#pickPorts();
      try {
        await this.#startOnce();
        return;
      } catch (error) {
        lastError = error as Error;
        // A clash on a picked port is retried on fresh ports; on the same ports (restart) the old socket may be
        // lingering, so try again; anything else (a bad config, a missing file) will not get better.
        const clash = lastError instanceof PortClash;
        if (!clash) throw lastError;
      }
    }
    throw new MosquittoStartError(`Mosquitto could not start in ${attempts} attempts: ${lastError?.message}`);
  }

  async #pickPorts(): Promise<void> {
    const { port, tls } = this.options;
    const pick = this.options.pickPort ?? pickFreePort;
    this.#port = port === null ? null : (port ?? (await pick(this.#host)));
    this.#tlsPort = tls === undefined ? null : (tls.port ?? (await pick(this.#host)));
    if (this.#port !== null && this.#port === this.#tlsPort) this.#tlsPort = await pickFreePort(this.#host);
  }

  async #startOnce(): Promise<void> {
    const { dir } = this.options;
    mkdirSync(dir, { recursive: true });
    const persistenceDir = this.options.persistence === true ? join(dir, 'data') : null;
    if (persistenceDir !== null) mkdirSync(persistenceDir, { recursive: true });
    const configFile = join(dir, 'mosquitto.conf');
    writeFileSync(
      configFile,
      renderMosquittoConfig({
        host: this.#host,
        port: this.#port,
        tlsPort: this.#tlsPort,
        tls: this.options.tls ?? null,
        passwordFile: this.options.passwordFile,
        aclFile: this.options.aclFile,
        persistenceDir,
        logDebug: this.options.logDebug === true,
      }),
    );
    const child = spawn('mosquitto', ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    const output: string[] = [];
    let pending = '';
    const onData = (chunk: Buffer): void => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.#log(line, output);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);

    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new MosquittoStartError(
            `Mosquitto did not start within ${this.options.startTimeoutMs ?? 10_000} ms:\n${output.join('\n')}`,
          ),
        );
      }, this.options.startTimeoutMs ?? 10_000);
      const onLine = (line: string): void => {
        if (!RUNNING.test(line)) return;
        clearTimeout(timer);
        this.#listeners.delete(onLine);
        resolve();
      };
      this.#listeners.add(onLine);
      child.once('error', (error) => {
        clearTimeout(timer);
        this.#listeners.delete(onLine);
        this.#child = null;
        reject(new MosquittoStartError(`mosquitto could not run (${error.message}): install it (npm run setup)`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        this.#listeners.delete(onLine);
        if (this.#child === child) this.#child = null;
        const text = output.join('\n');
        if (PORT_CLASH.test(text)) reject(new PortClash(text));
        else reject(new MosquittoStartError(`mosquitto exited (${code ?? signal}) while starting:\n${text}`));
      });
    });
    child.removeAllListeners('exit');
    child.once('exit', () => {
      if (this.#child === child) this.#child = null;
    });
    this.#watchdog = startWatchdog(child.pid ?? 0);
  }

  #log(line: string, output: string[]): void {
    output.push(line);
    this.#recent.push(line);
    if (this.#recent.length > RECENT_LINES) this.#recent.shift();
    this.options.onLog?.(line);
    for (const listener of [...this.#listeners]) listener(line);
  }
}

class PortClash extends Error {}

/**
 * `sh` waiting on a pipe whose other end only this process holds: when this process dies the read ends and the
 * broker gets SIGTERM. `read` is a shell builtin, so SIGKILLing the watchdog leaves no child behind. Unref'd so it
 * never keeps the owner alive.
 */
function startWatchdog(brokerPid: number): ChildProcess {
  const watchdog = spawn('sh', ['-c', `read -r _ignored; kill -TERM ${brokerPid} 2>/dev/null`], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.unref();
  // The pipe's handle would keep the event loop alive too.
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return watchdog;
}
