/**
 * Benchmark child side of BENCH_CPU_PROF: a V8 CPU profile of the measured window only (not the
 * module loading, seeding and warm-up that a whole-process --cpu-prof mixes in). The bench sends
 * `{type: 'profile-start', name}` before it takes its first stats and `{type: 'profile-stop'}` after
 * the last; the child answers each once done, and writes `<dir>/<name>.cpuprofile` on stop.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Session } from 'node:inspector/promises';

export function answerProfileRequests(dir: string | undefined): void {
  if (!dir) return;
  let session: Session | null = null;
  let name = '';
  process.on('message', (msg: { type: string; name?: string }) => {
    if (msg.type === 'profile-start') {
      void (async () => {
        session = new Session();
        session.connect();
        name = msg.name!;
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        process.send!({ type: 'profile-started' });
      })();
    } else if (msg.type === 'profile-stop' && session) {
      const s = session;
      session = null;
      void (async () => {
        const { profile } = await s.post('Profiler.stop');
        s.disconnect();
        await fs.mkdir(dir, { recursive: true });
        await fs.writeFile(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
        process.send!({ type: 'profile-stopped' });
      })();
    }
  });
}
