// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Keplr } from '@keplr-wallet/types';

declare global {
  interface Window {
    keplr?: Keplr;
    leap?: Keplr;
  }
}

export {};
