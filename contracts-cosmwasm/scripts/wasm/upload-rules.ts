// What a CosmWasm chain (cosmwasm-vm 2.x/3.x under wasmd) accepts at upload: see shared/notes/chain.md.

export const MAX_WASM_BYTES = 800 * 1024;
export const MAX_MEMORY_INITIAL_PAGES = 512;
export const MAX_TABLE_ELEMENTS = 2500;
export const MAX_IMPORTS = 100;
export const MAX_FUNCTIONS = 20_000;
export const MAX_FUNCTION_RESULTS = 1;
export const MAX_LOCALS_PER_FUNCTION = 100;
export const MAX_LOCALS_TOTAL = 10_000;
export const REQUIRED_INTERFACE_VERSION = 'interface_version_8';

/** The host functions a contract may import (module "env"). */
export const ALLOWED_IMPORTS: ReadonlySet<string> = new Set([
  'db_read',
  'db_write',
  'db_remove',
  'db_scan',
  'db_next',
  'addr_validate',
  'addr_canonicalize',
  'addr_humanize',
  'secp256k1_verify',
  'secp256k1_recover_pubkey',
  'ed25519_verify',
  'ed25519_batch_verify',
  'debug',
  'abort',
  'query_chain',
]);

export type UploadRule =
  | 'format'
  | 'size'
  | 'exports'
  | 'memory'
  | 'table'
  | 'imports'
  | 'functions'
  | 'results'
  | 'locals'
  | 'features'
  | 'start';
