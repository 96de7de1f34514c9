/** Drop the cluster channel's keys of some agreements (streams, leases, persisted positions): the benchmarks reuse agreement ids. */
import { Redis } from 'ioredis';

export async function clearChannelKeys(redisUrl: string, agreementIds: readonly string[]): Promise<void> {
  const r = new Redis(redisUrl);
  try {
    const keys = agreementIds.flatMap((id) => [`overens:sync:stream:${id}`, `overens:sync:lease:${id}`, `overens:sync:saved:${id}`]);
    for (let i = 0; i < keys.length; i += 500) await r.del(...keys.slice(i, i + 500));
  } finally {
    r.disconnect();
  }
}
