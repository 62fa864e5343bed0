/**
 * Every malformed topic, payload or message on the fleet's MQTT link becomes this error, naming the field that was
 * wrong and what was expected, so a bad message is logged and dropped rather than crashing a site or the aggregator.
 */
export class FleetProtocolError extends Error {
  override readonly name = 'FleetProtocolError';

  constructor(
    /** The topic, metric or field that was wrong, e.g. `metric "State/GridPowerW"` or `topic`. */
    readonly field: string,
    /** What was expected and what came, in words. */
    readonly problem: string,
    /** The MQTT topic the message came on, when known. */
    readonly topic?: string,
  ) {
    super(`${topic === undefined ? '' : `${topic}: `}${field}: ${problem}`);
  }
}
