import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPlant, type RunningPlant } from '@gridcoop/devices/plant/index';
import { ManualClock } from '@gridcoop/devices/sim/clock';
import { SunSpecClient } from '../../src/drivers/sunspec/index.ts';
import { endpointOf } from './fixtures/plant-endpoint.ts';
import { mbpollRead, registersToText } from './fixtures/mbpoll.ts';

describe("Debian's mbpoll reads the simulated inverter's SunSpec block", () => {
  let plant: RunningPlant;
  before(async () => {
    plant = await startPlant(
      { miners: [], batteries: [], pvInverters: [{ id: 'pv-7', ratedPowerW: 15_000, unitId: 7 }] },
      { clock: new ManualClock(Date.UTC(2014, 0, 15, 2, 0, 0)) },
    );
  });
  after(() => plant.stop());

  test('the SunS marker at 40000 and common model 1 with its identity strings', async () => {
    const endpoint = plant.endpoints.find((e) => e.id === 'pv-7')!;
    const registers = await mbpollRead({ transport: 'tcp', host: endpoint.host!, port: endpoint.port! }, 7, 40000, 70);
    const at = (address: number) => registers.get(address)!;
    assert.equal(registers.size, 70);
    assert.deepEqual([at(40000), at(40001)], [0x5375, 0x6e53], '"SunS"');
    assert.deepEqual([at(40002), at(40003)], [1, 66], 'model 1, L 66');
    const text = (from: number, length: number) => registersToText(Array.from({ length }, (_, i) => at(from + i)));
    assert.equal(text(40004, 16), 'GridCoop'); // Mn
    assert.equal(text(40052, 16), 'pv-7'); // SN
    assert.equal(at(40068), 7); // DA: the unit id
  });

  test('mbpoll and the GridCoop driver see the same registers of model 103', async () => {
    const endpoint = plant.endpoints.find((e) => e.id === 'pv-7')!;
    const client = new SunSpecClient('pv-7', endpointOf(plant.endpoints, 'pv-7'));
    try {
      await client.connect();
      const location = client.find(103)!;
      const ours = await client.readModel(103);
      const theirs = await mbpollRead(
        { transport: 'tcp', host: endpoint.host!, port: endpoint.port! },
        7,
        location.address,
        52,
      );
      // The clock does not move, so both reads see one state.
      assert.deepEqual(
        Array.from({ length: 52 }, (_, i) => theirs.get(location.address + i)),
        Array.from(ours.block.registers),
      );
      const signed = (raw: number) => (raw << 16) >> 16;
      const wSf = signed(theirs.get(location.address + 15)!);
      assert.equal(ours.values.W, signed(theirs.get(location.address + 14)!) * 10 ** wSf);
    } finally {
      await client.close();
    }
  });
});
