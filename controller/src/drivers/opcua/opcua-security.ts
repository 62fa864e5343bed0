import { join } from 'node:path';
import {
  MessageSecurityMode,
  OPCUACertificateManager,
  SecurityPolicy,
  UserTokenType,
  type UserIdentityInfo,
} from 'node-opcua';
import { OpcUaFailure } from './opcua-failure.ts';

export type OpcUaSecurityMode = 'None' | 'Sign' | 'SignAndEncrypt';
export type OpcUaSecurityPolicy = 'Basic256Sha256' | 'Aes128_Sha256_RsaOaep' | 'Aes256_Sha256_RsaPss';

/** How the controller talks to one OPC UA server: channel security, whose certificates it trusts, which user it is. */
export interface OpcUaClientSecurity {
  mode: OpcUaSecurityMode;
  /** Ignored with mode None. */
  policy: OpcUaSecurityPolicy;
  /**
   * The client's PKI folder: own/ holds its certificate (created on first use; give
   * own/certs/client_certificate.pem to the server's administrator), trusted/certs/ the server certificates it
   * trusts, rejected/ the ones it was shown and refused (move one to trusted/certs/ to trust it).
   */
  pkiDir: string;
  /** A user name token; absent = an anonymous session. */
  user?: { userName: string; password: string };
}

/** The PKI folder when none is configured: under the project's data dir, next to the outbox, never /tmp. */
export function defaultOpcUaPkiDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['GRIDCOOP_DATA_DIR'] || '.gridcoop', 'opcua-pki');
}

export function defaultOpcUaSecurity(): OpcUaClientSecurity {
  return { mode: 'None', policy: 'Basic256Sha256', pkiDir: defaultOpcUaPkiDir() };
}

/** The driver's `security` section as configured (controller-config.ts's opcUaSecuritySchema). */
export interface OpcUaSecurityConfig {
  mode: OpcUaSecurityMode;
  policy: OpcUaSecurityPolicy;
  pkiDir?: string | undefined;
  userName?: string | undefined;
  passwordEnv?: string | undefined;
}

/** A configured user whose password is not in the environment: nothing starts, and the message names the variable. */
export class OpcUaSecurityConfigError extends Error {
  override readonly name = 'OpcUaSecurityConfigError';
}

/** Resolves a device's configured security, reading the password from the environment variable the file names. */
export function opcUaSecurityFromConfig(
  deviceId: string,
  config: OpcUaSecurityConfig | undefined,
  env: NodeJS.ProcessEnv = process.env,
): OpcUaClientSecurity {
  if (!config) return defaultOpcUaSecurity();
  const security: OpcUaClientSecurity = {
    mode: config.mode,
    policy: config.policy,
    pkiDir: config.pkiDir ?? defaultOpcUaPkiDir(env),
  };
  if (config.userName !== undefined && config.passwordEnv !== undefined) {
    const password = env[config.passwordEnv];
    if (!password)
      throw new OpcUaSecurityConfigError(
        `device ${deviceId}: driver.security.passwordEnv names ${config.passwordEnv}, which is not set in the environment`,
      );
    security.user = { userName: config.userName, password };
  }
  return security;
}

/** Connections are shared per endpoint and security: a key that tells them apart without holding the password. */
export function securityKey(security: OpcUaClientSecurity): string {
  return [
    security.mode,
    security.mode === 'None' ? '' : security.policy,
    security.pkiDir,
    security.user?.userName ?? '',
  ].join('|');
}

export function clientSecurityOptions(security: OpcUaClientSecurity): {
  securityMode: MessageSecurityMode;
  securityPolicy: SecurityPolicy;
  clientCertificateManager: OPCUACertificateManager;
} {
  const secured = security.mode !== 'None';
  return {
    securityMode: MessageSecurityMode[security.mode],
    securityPolicy: secured ? SecurityPolicy[security.policy] : SecurityPolicy.None,
    // With security on, a server certificate must be in trusted/certs/ to be accepted; without it, nothing is
    // signed, so there is nothing to check it against.
    clientCertificateManager: new OPCUACertificateManager({
      rootFolder: security.pkiDir,
      automaticallyAcceptUnknownCertificate: !secured,
    }),
  };
}

export function userIdentity(security: OpcUaClientSecurity): UserIdentityInfo {
  if (!security.user) return { type: UserTokenType.Anonymous };
  return { type: UserTokenType.UserName, userName: security.user.userName, password: security.user.password };
}

/**
 * Turns what node-opcua reports for a refused certificate or user into a failure that says what to do. Refusals are
 * 'connection-refused': the server (or we) refused the connection, and retrying alone will not help.
 * Returns null for any other error.
 */
export function securityRefusal(
  error: unknown,
  security: OpcUaClientSecurity,
  endpointUrl: string,
): OpcUaFailure | null {
  const message =
    error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : String(error);
  const own = join(security.pkiDir, 'own', 'certs', 'client_certificate.pem');
  if (/BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid/.test(message)) {
    const who = security.user ? `user '${security.user.userName}'` : 'an anonymous session';
    return new OpcUaFailure(
      'connection-refused',
      `${endpointUrl}: the server refused ${who} (${statusName(message)}): check the user name and password`,
      { cause: error },
    );
  }
  if (/Cannot find an Endpoint matching/i.test(message)) {
    return new OpcUaFailure(
      'connection-refused',
      `${endpointUrl}: the server offers no endpoint with security ${security.mode} and ${security.policy}`,
      { cause: error },
    );
  }
  const missingPolicy = /Cannot find (\w+) user token policy/i.exec(message);
  if (missingPolicy) {
    const kind = (missingPolicy[1] ?? '').toLowerCase() === 'anonymous' ? 'an anonymous session' : 'this kind of user';
    return new OpcUaFailure(
      'connection-refused',
      `${endpointUrl}: the server refused ${kind}: it offers no such user token, configure a user name and password`,
      { cause: error },
    );
  }
  if (
    /server certificate.*(not trusted|untrusted|rejected)|BadCertificateUntrusted.*server|verify.*server certificate/i.test(
      message,
    )
  ) {
    return new OpcUaFailure(
      'connection-refused',
      `${endpointUrl}: the server's certificate is not trusted: move it from ${join(security.pkiDir, 'rejected')} to ${join(security.pkiDir, 'trusted', 'certs')} if it is the right server`,
      { cause: error },
    );
  }
  if (/BadSecurityChecksFailed|BadCertificateUntrusted|BadCertificate\w*|BadSecurityPolicyRejected/.test(message)) {
    return new OpcUaFailure(
      'connection-refused',
      `${endpointUrl}: the server refused our secure channel (${statusName(message)}): it must trust our certificate ${own}, and offer ${security.mode} with ${security.policy}`,
      { cause: error },
    );
  }
  return null;
}

function statusName(message: string): string {
  return /Bad\w+/.exec(message)?.[0] ?? 'refused';
}
