import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const CHECK_EVERY_MS = 5000;
/** Less growth of the used heap than this between two checks counts as idle. */
const IDLE_GROWTH_BYTES = 1024 * 1024;
/** Heap kept beyond what the last collection left: worth giving back once idle. */
const WORTH_RELEASING_BYTES = 4 * 1024 * 1024;
/** Start-up's own garbage is collected this long after the service listens. */
const SETTLE_MS = 1000;

/**
 * Gives memory back after start-up and whenever the service goes idle. V8 grows its heap under
 * load (start-up included) and gives pages back only when its memory reducer runs, 8 s after a
 * collection at the earliest and only at a low allocation rate, which an idle service may not
 * reach for a long while: `npm run bench` measured RSS that stayed 60 MiB above the start's a
 * minute after its load. So a second after listening, and then whenever a check every 5 s finds
 * the heap idle and holding 4 MiB more than the last collection left, a full collection that also
 * compacts the old generation empties part-used pages, which V8 releases at once (a plain full
 * collection released none: measured 6–9 MiB less RSS right after start). `gc` is exposed to a
 * context of its own, not to the service's code.
 */
export function releaseMemoryWhenIdle(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let kept = 0;
  const collect = () => {
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      gc();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
    kept = getHeapStatistics().total_heap_size;
  };
  setTimeout(collect, SETTLE_MS).unref();
  let lastUsed = getHeapStatistics().used_heap_size;
  setInterval(() => {
    const { used_heap_size: used, total_heap_size: total } = getHeapStatistics();
    const idle = used - lastUsed < IDLE_GROWTH_BYTES;
    lastUsed = used;
    if (!idle || total - kept < WORTH_RELEASING_BYTES) return;
    collect();
    lastUsed = getHeapStatistics().used_heap_size;
  }, CHECK_EVERY_MS).unref();
}
