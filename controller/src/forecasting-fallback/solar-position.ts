const DEG = Math.PI / 180;
const DAY_MS = 86_400_000;
/** 2000-01-01 12:00 UTC (J2000.0), the epoch of the approximations below. */
const J2000_MS = Date.UTC(2000, 0, 1, 12, 0, 0);

/**
 * The sine of the sun's elevation above the horizon at a place and instant (negative below it), from the usual
 * low-precision almanac formulas (mean longitude and anomaly, obliquity, equation of time through the right
 * ascension): good to a fraction of a degree, far more than a day-ahead PV shape needs.
 */
export function sunElevationSine(atMs: number, latitudeDeg: number, longitudeDeg: number): number {
  const days = (atMs - J2000_MS) / DAY_MS;
  const meanLongitudeDeg = 280.46 + 0.9856474 * days;
  const meanAnomaly = (357.528 + 0.9856003 * days) * DEG;
  const eclipticLongitude = (meanLongitudeDeg + 1.915 * Math.sin(meanAnomaly) + 0.02 * Math.sin(2 * meanAnomaly)) * DEG;
  const obliquity = (23.439 - 0.0000004 * days) * DEG;
  const declination = Math.asin(Math.sin(obliquity) * Math.sin(eclipticLongitude));
  const rightAscension = Math.atan2(Math.cos(obliquity) * Math.sin(eclipticLongitude), Math.cos(eclipticLongitude));
  // Greenwich mean sidereal time, then the local hour angle of the sun.
  const siderealDeg = 280.46061837 + 360.98564736629 * days;
  const hourAngle = (siderealDeg + longitudeDeg) * DEG - rightAscension;
  const latitude = latitudeDeg * DEG;
  return Math.sin(latitude) * Math.sin(declination) + Math.cos(latitude) * Math.cos(declination) * Math.cos(hourAngle);
}
