import { format } from 'node:util';
import { setErrorLogger, setWarningLogger } from 'node-opcua';
import type { Logger } from 'pino';

/**
 * Why W27 is harmless here, said once (at debug level) instead of node-opcua's two lines on stdout at every start.
 * node-opcua checks at load time whether Node can still decrypt RSA PKCS#1 v1.5 (Node 20.11+ refuses it since
 * CVE-2023-46809 unless started with --security-revert=CVE-2023-46809). Only the deprecated Basic128Rsa15 and Basic256
 * security policies need it; security mode None and Basic256Sha256 / Aes128/Aes256 policies do not.
 */
export const W27_EXPLANATION =
  'node-opcua W27: this Node refuses RSA PKCS#1 v1.5 decryption (CVE-2023-46809); only the deprecated ' +
  'Basic128Rsa15/Basic256 OPC UA security policies need it, so it does not matter for None or Basic256Sha256';

type Level = 'debug' | 'warn' | 'error';
interface Entry {
  level: Level;
  message: string;
}

/** Lines node-opcua writes before a logger is attached; bounded, since a process may never attach one. */
const MAX_HELD = 100;
const held: Entry[] = [];
let target: Logger | null = null;
let explainedW27 = false;

function classify(level: 'warn' | 'error', message: string): Entry | null {
  if (message.includes('[NODE-OPCUA-W27]')) {
    if (explainedW27) return null;
    explainedW27 = true;
    return { level: 'debug', message: W27_EXPLANATION };
  }
  // W27's second line ("you need to use node flag --security-revert=...") is covered by the explanation.
  if (message.includes('security-revert=CVE-2023-46809')) return null;
  return { level, message };
}

function emit(entry: Entry): void {
  if (target) target[entry.level](entry.message);
  else if (held.length < MAX_HELD) held.push(entry);
}

/**
 * Sends what node-opcua would print to stdout (its warnings and errors, uncoloured) into the controller's log: W27
 * at debug level with one explanation, the rest as warnings and errors of component `node-opcua`. Lines from before
 * the call are written then. Importing this module installs the hooks, so import it before node-opcua is busy.
 */
export function routeOpcuaLogsTo(logger: Logger): void {
  target = logger.child({ component: 'node-opcua' });
  for (const entry of held.splice(0)) emit(entry);
}

const plain = (args: unknown[]): string =>
  format(...args)
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[[0-9;]*m/g, '')
    .trim();

setWarningLogger((_context: unknown, ...args: unknown[]) => {
  const entry = classify('warn', plain(args));
  if (entry) emit(entry);
});
setErrorLogger((_context: unknown, ...args: unknown[]) => {
  const entry = classify('error', plain(args));
  if (entry) emit(entry);
});
