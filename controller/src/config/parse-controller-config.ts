import { readFileSync } from 'node:fs';
import { ControllerConfigError, type ConfigIssue } from './config-error.ts';
import { controllerConfigSchema, type ControllerConfig } from './controller-config.ts';

/** Validates a configuration object; every problem names its field. Throws ControllerConfigError. */
export function parseControllerConfig(input: unknown, source = 'configuration'): ControllerConfig {
  const result = controllerConfigSchema.safeParse(input);
  if (!result.success) {
    const issues: ConfigIssue[] = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    throw new ControllerConfigError(issues, source);
  }
  return result.data;
}

/** Reads and validates a JSON configuration file. A missing file or broken JSON is a ControllerConfigError too. */
export function loadControllerConfigFile(path: string): ControllerConfig {
  const source = `configuration file ${path}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ControllerConfigError([{ path: '', message: `cannot read it: ${(error as Error).message}` }], source);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new ControllerConfigError([{ path: '', message: `not valid JSON: ${(error as Error).message}` }], source);
  }
  return parseControllerConfig(input, source);
}

/** The name of the environment variable that carries the operator token (it wins over the file's api.token). */
export const API_TOKEN_ENV = 'GRIDCOOP_API_TOKEN';

/** The operator token in force, or null when none is configured (then every write is refused). */
export function resolveApiToken(config: ControllerConfig, env: NodeJS.ProcessEnv = process.env): string | null {
  const fromEnv = env[API_TOKEN_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < 16) {
      throw new ControllerConfigError(
        [{ path: API_TOKEN_ENV, message: 'a token must have at least 16 characters' }],
        'environment',
      );
    }
    return fromEnv;
  }
  return config.api.token ?? null;
}
