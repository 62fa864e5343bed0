import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * A benchmark's flags as node:util parseArgs reads them, with what every command of the project promises: `--help`
 * prints `usage` and exits 0; an unknown flag or a missing value prints one line naming it and exits 2 (parseArgs
 * alone throws, which printed a stack trace).
 */
export function benchArgs<O extends Options>(
  name: string,
  usage: string,
  options: O,
): ReturnType<typeof parseArgs<{ options: O }>>['values'] {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
  } catch (error) {
    console.error(`${name}: ${(error as Error).message} (see --help)`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return values as ReturnType<typeof parseArgs<{ options: O }>>['values'];
}
