import { existsSync, readFileSync } from 'node:fs';
import type { SiteProfile } from '@gridcoop/fleet-protocol';
import { ControllerConfigError } from '../config/config-error.ts';
import type { FleetConfig } from '../config/fleet-config.ts';
import type { PlantSpec } from '../plant/plant-spec.ts';
import { nextSequenceNumber } from '@gridcoop/fleet-protocol';
import { BdSeqFile } from './bd-seq-file.ts';
import { OwnerStateFile, type OwnerState } from './owner-state-file.ts';
import { SiteLink, type SiteLinkLogger } from './site-link.ts';

/** A fleet section the site cannot act on (a missing password or certificate): a config error naming the field. */
function fleetConfigError(path: string, message: string): ControllerConfigError {
  return new ControllerConfigError([{ path, message }], 'fleet configuration');
}

/** What the site declares in its birth: its zone, its connection's caps and its installed capacity. */
export function siteProfileOf(plant: PlantSpec, zone: string): SiteProfile {
  let batteryEnergyWh = 0;
  let batteryPowerW = 0;
  let pvPeakW = 0;
  let minerPowerW = 0;
  for (const device of plant.devices) {
    if (device.kind === 'battery') {
      batteryEnergyWh += device.capacityWh;
      batteryPowerW += Math.max(device.maxChargeW, device.maxDischargeW);
    } else if (device.kind === 'pv-inverter') pvPeakW += device.ratedPowerW;
    else if (device.kind === 'flexible-load') minerPowerW += device.maxPowerW;
  }
  return {
    zone,
    importLimitW: plant.importCapW,
    exportLimitW: plant.exportCapW,
    capacity: { batteryEnergyWh, batteryPowerW, pvPeakW, minerPowerW },
  };
}

export function createSiteLink(
  config: FleetConfig,
  plant: PlantSpec,
  context: { now: () => number; logger: SiteLinkLogger; env?: NodeJS.ProcessEnv },
): SiteLink {
  const env = context.env ?? process.env;
  let password: string | undefined;
  if (config.passwordFile !== undefined) {
    if (!existsSync(config.passwordFile)) {
      throw fleetConfigError('fleet.passwordFile', `${config.passwordFile} does not exist`);
    }
    password = readFileSync(config.passwordFile, 'utf8').trim();
  } else {
    password = env[config.passwordEnv];
  }
  if (password === undefined || password === '') {
    throw fleetConfigError(
      'fleet.passwordEnv',
      `the broker password is missing: set ${config.passwordEnv} in the environment, or give fleet.passwordFile`,
    );
  }
  const read = (field: string, path: string): Buffer => {
    if (!existsSync(path)) throw fleetConfigError(`fleet.tls.${field}`, `${path} does not exist`);
    return readFileSync(path);
  };
  const tls = config.tls;
  const bdSeqFile = config.bdSeqPath === null ? null : new BdSeqFile(config.bdSeqPath);
  let initialBdSeq = 0;
  const kept = bdSeqFile?.load() ?? { kind: 'missing' };
  if (kept.kind === 'loaded') initialBdSeq = nextSequenceNumber(kept.bdSeq);
  if (kept.kind === 'unreadable') {
    // Not fatal: the site's safety does not depend on the fleet; the file is rewritten at the first connect.
    context.logger.warn(
      { path: bdSeqFile?.path, reason: kept.reason },
      'fleet link: the kept bdSeq is unreadable, starting again at 0',
    );
  }
  const ownerFile = config.ownerStatePath === null ? null : new OwnerStateFile(config.ownerStatePath);
  const keptOwner = ownerFile?.load(context.now()) ?? { kind: 'missing' };
  if (keptOwner.kind === 'unreadable') {
    // Not fatal (the site's safety does not depend on the fleet), but the owner's last say is unknown: the
    // configuration's applies until the owner says again; the file is kept aside for a person to read.
    context.logger.error(
      { path: ownerFile?.path, reason: keptOwner.reason, keptAs: keptOwner.keptAs },
      "fleet link: the kept owner's say is unreadable, following fleet.owner from the configuration",
    );
  }
  const keptState = keptOwner.kind === 'loaded' ? keptOwner.state : null;
  if (keptState)
    context.logger.info({ path: ownerFile?.path, owner: keptState.owner }, "fleet link: the owner's say as last kept");
  return new SiteLink({
    siteId: config.siteId,
    brokerUrl: config.brokerUrl,
    username: config.username ?? config.siteId,
    password,
    ...(tls === undefined
      ? {}
      : {
          tls: {
            ca: read('caFile', tls.caFile),
            ...(tls.certFile === undefined ? {} : { cert: read('certFile', tls.certFile) }),
            ...(tls.keyFile === undefined ? {} : { key: read('keyFile', tls.keyFile) }),
          },
        }),
    hostId: config.hostId,
    profile: siteProfileOf(plant, config.zone),
    now: context.now,
    logger: context.logger,
    publishEveryMs: config.publishEveryMs,
    maxTargetValidityS: config.maxTargetValidityS,
    clockSkewMs: config.clockSkewMs,
    sessionExpiryS: config.sessionExpiryS,
    owner: keptState?.owner ?? config.owner,
    keptBatteryCycles: keptState?.batteryCycles ?? null,
    ...(ownerFile === null ? {} : { onOwnerState: (state: OwnerState) => ownerFile.save(state) }),
    initialBdSeq,
    ...(bdSeqFile === null ? {} : { onBdSeq: (bdSeq: number) => bdSeqFile.save(bdSeq) }),
  });
}
