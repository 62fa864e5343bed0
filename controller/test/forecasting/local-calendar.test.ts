import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalCalendar, TimeZoneError } from '../../src/forecasting/local-calendar.ts';

describe('local calendar', () => {
  it('finds Melbourne midnights across daylight-saving changes (a 25-hour and a 23-hour day)', () => {
    const calendar = new LocalCalendar('Australia/Melbourne');
    // DST ended on 2014-04-06 03:00 (back to +10) and started on 2014-10-05 02:00 (to +11).
    const april = calendar.midnightsBetween(
      calendar.localDateToUtcMs('2014-04-05'),
      calendar.localDateToUtcMs('2014-04-08'),
    );
    assert.deepEqual(
      april.map((ms) => new Date(ms).toISOString()),
      ['2014-04-04T13:00:00.000Z', '2014-04-05T13:00:00.000Z', '2014-04-06T14:00:00.000Z'],
    );
    assert.equal(((april[2] as number) - (april[1] as number)) / 3_600_000, 25);
    const october = calendar.midnightsBetween(
      calendar.localDateToUtcMs('2014-10-05'),
      calendar.localDateToUtcMs('2014-10-07'),
    );
    assert.equal(((october[1] as number) - (october[0] as number)) / 3_600_000, 23);
    const local = calendar.localTime(Date.parse('2014-07-07T08:00:00Z'));
    assert.deepEqual({ hour: local.hour, weekday: local.weekday }, { hour: 18, weekday: 1 });
  });

  it('an unknown time zone or a malformed date is a TimeZoneError', () => {
    assert.throws(() => new LocalCalendar('Mars/Olympus'), TimeZoneError);
    assert.throws(() => new LocalCalendar('UTC').localDateToUtcMs('7/7/2014'), /not a date like 2014-07-07/);
  });
});
