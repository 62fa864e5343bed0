import { makeEUInformation, type EUInformation } from 'node-opcua';

/**
 * The engineering units of the miner's AnalogItems, as OPC UA EUInformation with UNECE Rec. 20 common codes
 * (OPC 10000-8 §5.6.3), so any generic OPC UA client shows the right unit.
 */
export const minerUnits = {
  watt: makeEUInformation('WTT', 'W', 'watt'),
  wattHour: makeEUInformation('WHR', 'Wh', 'watt hour'),
  degreeCelsius: makeEUInformation('CEL', '°C', 'degree Celsius'),
  // UNECE Rec. 20 has no code for hash rates; OPC 10000-8 says unitId -1 means "no code available".
  terahashPerSecond: withoutUneceCode(
    makeEUInformation('', 'TH/s', 'terahash per second (10^12 SHA-256d hashes per second)'),
  ),
} as const;

function withoutUneceCode(unit: EUInformation): EUInformation {
  unit.unitId = -1;
  return unit;
}
