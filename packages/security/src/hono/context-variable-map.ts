import type { ClientCertificateRejection } from '../mtls/client-certificate-rejection.js';
import type { SecurityPrincipal } from '../security-principal.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** Who is calling; set by `authenticate`, absent on anonymous requests. */
    principal?: SecurityPrincipal;
    /** The client's address as `ipAllowList` resolved it (trusted proxies honoured). */
    clientIp?: string;
    /** Why `verifyClientCertificate` refused the connection's certificate, for the audit trail. */
    clientCertificateRejection?: ClientCertificateRejection;
  }
}

export {};
