import { spawn } from 'node:child_process';

/** A virtual serial cable: two pseudo-terminals joined by socat. The device side and the client side are one each. */
export interface PtyPair {
  devicePath: string;
  clientPath: string;
  stop(): Promise<void>;
}

export class PtyPairError extends Error {
  constructor(detail: string) {
    super(`socat pty pair: ${detail}`);
    this.name = 'PtyPairError';
  }
}

/** Starts `socat -d -d pty,raw,echo=0 pty,raw,echo=0` and waits for both device paths it prints. */
export function openPtyPair(timeoutMs = 5000): Promise<PtyPair> {
  return new Promise((resolve, reject) => {
    const child = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const paths: string[] = [];
    let stderr = '';
    const fail = (detail: string): void => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new PtyPairError(detail));
    };
    const timer = setTimeout(() => fail(`no pty paths within ${timeoutMs} ms; stderr: ${stderr}`), timeoutMs);
    child.on('error', (error) => fail(`cannot run socat (${error.message}); scripts/setup-system.sh installs it`));
    child.on('exit', (code) => {
      if (paths.length < 2) fail(`socat exited with ${code}; stderr: ${stderr}`);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr += text;
      for (const match of text.matchAll(/PTY is (\S+)/g)) if (match[1]) paths.push(match[1]);
      if (paths.length === 2) {
        clearTimeout(timer);
        const [devicePath, clientPath] = paths as [string, string];
        resolve({
          devicePath,
          clientPath,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}
