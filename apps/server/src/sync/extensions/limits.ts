/**
 * Connection limits as an extension: a per-IP throttle on upgrade attempts (token bucket, before
 * the session is even looked up) and caps on live sockets per agreement and per user. The message
 * and document size limits are enforced where the bytes are (ws maxPayload, the document).
 */
import type { AuthenticateContext, AuthenticateResult, ConnectContext, Extension, UpgradeContext, UpgradeRefusal } from '../core/extension.ts';
import { ConnectionCounter, IpThrottle, type SyncLimits } from '../limits.ts';

export class LimitsExtension implements Extension {
  readonly name = 'limits';
  /** first: a refused attempt costs nothing else */
  readonly priority = 2000;
  private readonly ipThrottle: IpThrottle;
  private readonly perAgreement = new ConnectionCounter();
  private readonly perUser = new ConnectionCounter();

  constructor(private readonly limits: Pick<SyncLimits, 'ipBurst' | 'ipPerSecond' | 'maxConnectionsPerAgreement' | 'maxConnectionsPerUser'>) {
    this.ipThrottle = new IpThrottle(limits.ipBurst, limits.ipPerSecond);
  }

  onUpgrade({ ip }: UpgradeContext): UpgradeRefusal | void {
    if (!this.ipThrottle.take(ip)) return { status: 429, detail: 'too many connection attempts', result: 'throttled' };
  }

  onAuthenticate({ agreementId, userId }: AuthenticateContext): AuthenticateResult {
    if (this.perAgreement.get(agreementId) >= this.limits.maxConnectionsPerAgreement) {
      return { refuse: { status: 429, detail: 'too many connections to this agreement', result: 'limit_agreement' } };
    }
    if (this.perUser.get(userId) >= this.limits.maxConnectionsPerUser) {
      return { refuse: { status: 429, detail: 'too many connections for this user', result: 'limit_user' } };
    }
  }

  onConnect({ agreementId, connection }: ConnectContext): void {
    this.perAgreement.inc(agreementId);
    this.perUser.inc(connection.userId);
  }

  onDisconnect({ agreementId, connection }: ConnectContext): void {
    this.perAgreement.dec(agreementId);
    this.perUser.dec(connection.userId);
  }
}
