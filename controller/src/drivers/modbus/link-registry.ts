import { ModbusLink } from './modbus-link.ts';
import type { ModbusEndpoint } from './modbus-endpoint.ts';

/**
 * Who uses which link. A serial port can be opened once, and RS485 has one master per line: every device on the
 * same serial path shares one link (one request on the line at a time). Each TCP device gets a link of its own.
 */
const serialLines = new Map<string, { link: ModbusLink; users: number }>();

export function acquireLink(endpoint: ModbusEndpoint): ModbusLink {
  if (endpoint.transport === 'tcp') return new ModbusLink(endpoint);
  const shared = serialLines.get(endpoint.path);
  if (shared) {
    shared.users += 1;
    return shared.link;
  }
  const link = new ModbusLink(endpoint);
  serialLines.set(endpoint.path, { link, users: 1 });
  return link;
}

export async function releaseLink(link: ModbusLink): Promise<void> {
  const endpoint = link.endpoint;
  if (endpoint.transport === 'rtu') {
    const shared = serialLines.get(endpoint.path);
    if (shared?.link === link) {
      shared.users -= 1;
      if (shared.users > 0) return;
      serialLines.delete(endpoint.path);
    }
  }
  await link.destroy();
}
