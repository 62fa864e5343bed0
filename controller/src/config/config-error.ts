/** One problem with a configuration: the field (dotted path, e.g. `plant.devices.2.driver.port`) and why. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/**
 * A configuration that cannot be used. Every issue names its field, so an operator can fix a file without guessing;
 * where the configuration came from (a file path) is named too. Nothing starts on a bad configuration.
 */
export class ControllerConfigError extends Error {
  override readonly name = 'ControllerConfigError';
  constructor(
    readonly issues: readonly ConfigIssue[],
    readonly source = 'configuration',
  ) {
    super(`invalid ${source}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }
}
