import type { PlantConfigInput } from '../../src/plant/plant-config.ts';
import { startPlant, type PlantEndpoint, type RunningPlant } from '../../src/plant/start-plant.ts';
import { ManualClock } from '../../src/sim/clock.ts';
import { ModbusClient } from './sunspec-walk.ts';

/** Summer noon in Melbourne: the PV inverters produce. */
export const SUMMER_NOON_MS = Date.UTC(2026, 0, 15, 2);

/** A small plant without miners (no OPC UA start-up) on a ManualClock, plus clients that the fixture closes. */
export async function startTestPlant(config: PlantConfigInput = {}, startMs = SUMMER_NOON_MS) {
  const clock = new ManualClock(startMs);
  const plant: RunningPlant = await startPlant({ miners: [], ...config }, { clock });
  const clients: ModbusClient[] = [];
  const endpoint = (id: string): PlantEndpoint => {
    const found = plant.endpoints.find((e) => e.id === id);
    if (found === undefined) throw new Error(`no endpoint ${id}`);
    return found;
  };
  return {
    clock,
    plant,
    endpoint,
    /** A modbus-serial TCP client connected to a device, timeout as given. */
    async connect(id: string, timeoutMs = 2000): Promise<ModbusClient> {
      const e = endpoint(id);
      const client = new ModbusClient();
      await client.connectTCP(e.host as string, { port: e.port as number });
      client.setID(e.unitId as number);
      client.setTimeout(timeoutMs);
      clients.push(client);
      return client;
    },
    async stop(): Promise<void> {
      for (const client of clients)
        await new Promise<void>((resolve) => (client.isOpen ? client.close(() => resolve()) : resolve()));
      await plant.stop();
    },
  };
}
