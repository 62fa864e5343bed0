/**
 * `npm run fleet-credentials -- --out DIR --sites home-1,home-2`: writes the broker's password file and ACL and each
 * party's credentials for a fleet. Run it again with the full site list to add sites; issued passwords are kept.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FleetCredentialsError, writeFleetCredentials } from '../broker/fleet-credentials.ts';
import { FleetProtocolError } from '@gridcoop/fleet-protocol';

const USAGE = `usage: npm run fleet-credentials -- --out DIR (--sites ID,ID,... | --sites-file FILE) [--aggregator USER] [--host-id ID]
  --out DIR          where to write passwd (Mosquitto's password_file), acl (its acl_file) and credentials.json (0600)
  --sites IDS        comma-separated site ids (letters, digits, - and _; each becomes the site's broker user name)
  --sites-file FILE  site ids one per line instead (# starts a comment)
  --aggregator USER  the aggregator's broker user name (default aggregator)
  --host-id ID       the aggregator's Sparkplug host id, its STATE topic (default: the user name)
  -h, --help         show this help
A site may publish only spBv1.0/gridcoop/{NBIRTH,NDATA,NDEATH}/<its id> and read only its own NCMD; the aggregator
reads every site and commands every site. Passwords already in DIR/credentials.json are kept; sites left out lose
access. Give each site only its own entry of credentials.json.`;

function usageError(message: string): never {
  console.error(`${message} (see npm run fleet-credentials -- --help)`);
  process.exit(2);
}

function main(): void {
  let values: {
    out?: string;
    sites?: string;
    'sites-file'?: string;
    aggregator?: string;
    'host-id'?: string;
    help: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        out: { type: 'string' },
        sites: { type: 'string' },
        'sites-file': { type: 'string' },
        aggregator: { type: 'string' },
        'host-id': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    usageError((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.out === undefined || values.out === '') usageError('--out: give the directory to write the files to');
  if ((values.sites === undefined) === (values['sites-file'] === undefined)) {
    usageError('--sites or --sites-file: give exactly one list of site ids');
  }
  let siteIds: string[];
  if (values.sites !== undefined) {
    siteIds = values.sites.split(',').map((id) => id.trim());
  } else {
    const file = values['sites-file'] ?? '';
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      usageError(`--sites-file ${file}: ${(error as Error).message}`);
    }
    siteIds = text
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter((line) => line !== '');
  }
  if (siteIds.length === 0 || siteIds.some((id) => id === ''))
    usageError('--sites: expected site ids, got an empty one');
  try {
    const files = writeFleetCredentials({
      dir: values.out,
      siteIds,
      aggregatorUser: values.aggregator,
      hostId: values['host-id'],
    });
    console.log(
      `fleet credentials for ${siteIds.length} sites and aggregator "${files.credentials.aggregator.username}":`,
    );
    console.log(`  password_file ${files.passwordFile}`);
    console.log(`  acl_file      ${files.aclFile}`);
    console.log(`  credentials   ${files.credentialsFile} (secret: give each site only its own entry)`);
  } catch (error) {
    if (error instanceof FleetProtocolError) usageError(`--sites: ${error.message}`);
    if (error instanceof FleetCredentialsError) {
      console.error(error.message);
      process.exit(error.message.startsWith('sites:') ? 2 : 1);
    }
    throw error;
  }
}

main();
