import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertValidFleetId, FLEET_GROUP_ID } from '@gridcoop/fleet-protocol';
import { renderAclFile } from './acl-file.ts';

export interface MqttCredential {
  username: string;
  password: string;
}

/** What `npm run fleet-credentials` writes to credentials.json (mode 0600): give each site only its own entry. */
export interface FleetCredentials {
  groupId: string;
  hostId: string;
  aggregator: MqttCredential;
  sites: Record<string, MqttCredential>;
}

export interface FleetCredentialFiles {
  credentials: FleetCredentials;
  /** Mosquitto's password_file: hashed by mosquitto_passwd. */
  passwordFile: string;
  aclFile: string;
  credentialsFile: string;
}

export class FleetCredentialsError extends Error {
  override readonly name = 'FleetCredentialsError';
}

/**
 * Writes the broker's password file and ACL and the plain credentials for a fleet into `dir`. Running it again with
 * more sites keeps the passwords already issued (sites keep working) and adds the new ones; sites left out of the
 * list lose their access.
 */
export function writeFleetCredentials(options: {
  dir: string;
  siteIds: readonly string[];
  aggregatorUser?: string;
  hostId?: string;
}): FleetCredentialFiles {
  const aggregatorUser = options.aggregatorUser ?? 'aggregator';
  const hostId = options.hostId ?? aggregatorUser;
  assertValidFleetId(aggregatorUser, 'user name');
  assertValidFleetId(hostId, 'host id');
  for (const siteId of options.siteIds) assertValidFleetId(siteId, 'site id');
  const unique = new Set(options.siteIds);
  if (unique.size !== options.siteIds.length) throw new FleetCredentialsError('sites: a site id appears twice');
  if (unique.has(aggregatorUser)) {
    throw new FleetCredentialsError(`sites: "${aggregatorUser}" is the aggregator's user name, not a site id`);
  }

  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const credentialsFile = join(options.dir, 'credentials.json');
  const previous = existsSync(credentialsFile) ? readPrevious(credentialsFile) : undefined;
  const issue = (username: string): MqttCredential => ({
    username,
    password:
      (username === aggregatorUser ? previous?.aggregator : previous?.sites[username])?.password ?? newPassword(),
  });
  const credentials: FleetCredentials = {
    groupId: FLEET_GROUP_ID,
    hostId,
    aggregator: issue(aggregatorUser),
    sites: Object.fromEntries(options.siteIds.map((siteId) => [siteId, issue(siteId)])),
  };

  const passwordFile = join(options.dir, 'passwd');
  const aclFile = join(options.dir, 'acl');
  const all = [credentials.aggregator, ...Object.values(credentials.sites)];
  writeSecret(`${passwordFile}.tmp`, all.map(({ username, password }) => `${username}:${password}\n`).join(''));
  hashPasswordFile(`${passwordFile}.tmp`);
  renameSync(`${passwordFile}.tmp`, passwordFile);
  writeFileSync(aclFile, renderAclFile({ siteIds: options.siteIds, aggregatorUser, hostId }), { mode: 0o600 });
  writeSecret(credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`);
  return { credentials, passwordFile, aclFile, credentialsFile };
}

function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

function writeSecret(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600); // an existing file keeps its old mode on write
}

/** mosquitto_passwd -U replaces each `user:password` line by its salted PBKDF2-SHA512 hash, in one process. */
function hashPasswordFile(path: string): void {
  const result = spawnSync('mosquitto_passwd', ['-U', path], { encoding: 'utf8' });
  if (result.error !== undefined) {
    throw new FleetCredentialsError(
      `mosquitto_passwd could not run (${result.error.message}): install mosquitto (npm run setup)`,
    );
  }
  if (result.status !== 0) {
    throw new FleetCredentialsError(`mosquitto_passwd -U failed: ${(result.stderr || result.stdout).trim()}`);
  }
}

function readPrevious(path: string): FleetCredentials {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as FleetCredentials;
    if (typeof parsed.aggregator?.password !== 'string' || typeof parsed.sites !== 'object') throw new Error('shape');
    return parsed;
  } catch {
    throw new FleetCredentialsError(
      `${path}: not a credentials file written by fleet-credentials (expected {aggregator, sites}); move it away to start afresh`,
    );
  }
}
