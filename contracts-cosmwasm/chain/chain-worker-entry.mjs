// Worker threads do not inherit the TypeScript loader of the thread that starts them: register it, then load the
// execution thread's code (chain-worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./chain-worker.ts');
