export { pickFreePort } from './free-port.ts';
export { renderAclFile, type AclSubjects } from './acl-file.ts';
export {
  writeFleetCredentials,
  FleetCredentialsError,
  type FleetCredentials,
  type FleetCredentialFiles,
  type MqttCredential,
} from './fleet-credentials.ts';
export { renderMosquittoConfig, type MosquittoConfigInput, type MosquittoTlsFiles } from './mosquitto-config.ts';
export { MosquittoBroker, MosquittoStartError, type MosquittoOptions } from './mosquitto-broker.ts';
export {
  makeCertificateAuthority,
  makeSignedCertificate,
  type CertificateAuthorityFiles,
  type KeyPairFiles,
} from './openssl-certificates.ts';
