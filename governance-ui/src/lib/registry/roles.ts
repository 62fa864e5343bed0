import type { OwnershipResponse, RegistryConfig } from '@gridcoop/contracts/client/registry-types';
import type { SiteWithOracles } from './sites.ts';

export interface RoleHolder {
  /** the role's name as the contracts and the deploy plan spell it */
  role: string;
  /** who holds it now, read from chain: addresses, or none */
  holders: string[];
  /** when nobody holds it, what that means */
  whenNone: string;
  /** what the role may do, in words */
  may: string;
  /** what it may not do, where people would expect otherwise */
  mayNot?: string;
}

export interface ChainRoles {
  config: RegistryConfig;
  ownership: OwnershipResponse;
  council: string;
  governanceContract: string;
  registryMigrateAdmin: string | null;
  governanceMigrateAdmin: string | null;
  sites: SiteWithOracles[];
}

/** Who may do what in GridCoop's contracts, with the holders as the chain reports them now. */
export function rolesFromChain(c: ChainRoles): RoleHolder[] {
  const migrateAdmins = [
    ...new Set([c.registryMigrateAdmin, c.governanceMigrateAdmin].filter((a): a is string => !!a)),
  ];
  return [
    {
      role: 'admin',
      holders: c.ownership.admin ? [c.ownership.admin] : [],
      whenNone: 'Renounced: nobody can add sites, change oracle keys or name another operator any more.',
      may: 'Adds and removes sites and their oracle keys, names the operator, proposes the next admin (who must accept) or renounces the role for good.',
      mayNot: 'Cannot approve nodes, record output or move the governance pointer.',
    },
    {
      role: 'operator',
      holders: [c.config.operator],
      whenNone: '',
      may: 'Approves registered nodes and binds each to a site, moves nodes between sites, suspends, resumes and retires them.',
      mayNot: 'Cannot record output or change rewards.',
    },
    ...c.sites.map((s) => ({
      role: `oracle of site "${s.site}"`,
      holders: s.oracles,
      whenNone: 'No key: nothing can be recorded for this site\u2019s nodes.',
      may: `The key of the site's controller: records the metered output of the nodes bound to "${s.site}" and nothing else.`,
      mayNot: 'Cannot record another site\u2019s nodes; one key serves one site.',
    })),
    {
      role: 'governance',
      holders: c.config.governance ? [c.config.governance] : [],
      whenNone:
        'Not wired yet: the registry takes no reward policy until the deployment names its governance contract.',
      may: 'The DAO\u2019s contract: sets the reward multipliers members voted for, and alone may move this pointer to a successor.',
      mayNot: 'The admin cannot move it once set.',
    },
    {
      role: 'council',
      holders: [c.council],
      whenNone: '',
      may: 'May veto a passed proposal during its timelock (a grid-safety brake).',
      mayNot: 'Cannot pass, change or execute a proposal.',
    },
    {
      role: 'migrate admin',
      holders: migrateAdmins,
      whenNone: 'None: the contracts\u2019 code is frozen.',
      may: 'The chain\u2019s wasm admin of the contracts (a multisig or the governance contract): may replace their code by a migration, or hand that right on.',
      mayNot: 'Holds no role inside the contracts.',
    },
  ];
}
