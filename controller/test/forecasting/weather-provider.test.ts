import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseWeatherCsv } from '../../src/forecasting/weather/csv-weather-provider.ts';
import { OpenMeteoProvider, parseOpenMeteoHourly } from '../../src/forecasting/weather/open-meteo-provider.ts';
import { WeatherProviderError } from '../../src/forecasting/weather/weather-provider.ts';

/** Hand-made in the format Open-Meteo documents for /v1/forecast (not recorded from the API: no network here). */
const fixtureText = readFileSync(new URL('./fixtures/open-meteo-forecast.json', import.meta.url), 'utf8');
const H = (hour: number) => Date.UTC(2024, 5, 1, hour);

describe('Open-Meteo weather provider', () => {
  let server: Server;
  let baseUrl = '';
  const requests: URL[] = [];
  let answer: { status: number; body: string } = { status: 200, body: fixtureText };
  before(async () => {
    server = createServer((req, res) => {
      requests.push(new URL(req.url ?? '/', 'http://127.0.0.1'));
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/forecast`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads hourly temperature and cloud cover at the hour, and the radiation of the hour from the label after it', () => {
    const hours = parseOpenMeteoHourly(JSON.parse(fixtureText));
    assert.equal(hours.length, 6);
    assert.deepEqual(hours[0], { hourStartMs: H(0), temperatureC: 9.1, cloudCoverPct: 100, irradianceWm2: 0 });
    assert.equal(hours[3]?.temperatureC, null, 'a null in the answer stays unknown');
    assert.equal(hours[3]?.irradianceWm2, 35, 'the 03:00-04:00 hour takes the radiation labelled 04:00');
    assert.equal(hours[5]?.irradianceWm2, null, 'the last hour has no label after it');
  });

  it('asks the API for the documented variables over a local HTTP server and answers the hours in the window', async () => {
    answer = { status: 200, body: fixtureText };
    const provider = new OpenMeteoProvider({ latitudeDeg: -37.81, longitudeDeg: 144.96, baseUrl });
    const hours = await provider.fetchHours(H(1), H(5));
    assert.deepEqual(
      hours.map((h) => h.hourStartMs),
      [H(1), H(2), H(3), H(4)],
    );
    const url = requests.at(-1) as URL;
    assert.equal(url.pathname, '/v1/forecast');
    assert.equal(url.searchParams.get('hourly'), 'temperature_2m,cloud_cover,shortwave_radiation');
    assert.equal(url.searchParams.get('timezone'), 'GMT');
    assert.equal(url.searchParams.get('latitude'), '-37.81');
    assert.equal(url.searchParams.get('start_date'), '2024-06-01');
  });

  it('an error answer, a malformed answer and an unreachable API are WeatherProviderErrors saying which', async () => {
    const provider = new OpenMeteoProvider({ latitudeDeg: 1, longitudeDeg: 2, baseUrl });
    answer = { status: 400, body: JSON.stringify({ error: true, reason: 'Latitude must be in range of -90 to 90°.' }) };
    await assert.rejects(
      provider.fetchHours(H(0), H(6)),
      (e: unknown) => e instanceof WeatherProviderError && /HTTP 400: Latitude must be/.test(e.message),
    );
    answer = { status: 200, body: JSON.stringify({ hourly: { time: ['2024-06-01T00:00'], temperature_2m: [1, 2] } }) };
    await assert.rejects(
      provider.fetchHours(H(0), H(6)),
      (e: unknown) =>
        e instanceof WeatherProviderError && /temperature_2m is not a list as long as hourly.time/.test(e.message),
    );
    answer = { status: 200, body: 'not json' };
    await assert.rejects(provider.fetchHours(H(0), H(6)), /the answer is not JSON/);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = new OpenMeteoProvider({
      latitudeDeg: 1,
      longitudeDeg: 2,
      baseUrl: `http://127.0.0.1:${port}/v1/forecast`,
    });
    await assert.rejects(
      down.fetchHours(H(0), H(6)),
      (e: unknown) => e instanceof WeatherProviderError && /cannot reach the API/.test(e.message),
    );
  });
});

describe('CSV weather provider', () => {
  it('reads hour starts with offsets and optional columns, and refuses a bad line naming it', () => {
    const hours = parseWeatherCsv(
      'time,temperature_c,cloud_cover_pct\n2024-06-01T10:00:00+10:00,12.5,\n2024-06-01T01:00:00Z,13,40\n',
    );
    assert.deepEqual(hours, [
      { hourStartMs: H(0), temperatureC: 12.5, cloudCoverPct: null, irradianceWm2: null },
      { hourStartMs: H(1), temperatureC: 13, cloudCoverPct: 40, irradianceWm2: null },
    ]);
    assert.throws(
      () => parseWeatherCsv('time,temperature_c\n2024-06-01T00:00:00,1\n', 'w.csv'),
      /w\.csv: line 2: "2024-06-01T00:00:00" is not a whole hour with an offset/,
    );
    assert.throws(
      () => parseWeatherCsv('time,temperature_c\n2024-06-01T00:00:00Z,warm\n', 'w.csv'),
      /w\.csv: line 2: temperature_c "warm" is not a number/,
    );
  });
});
