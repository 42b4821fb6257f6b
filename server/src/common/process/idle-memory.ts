import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const CHECK_EVERY_MS = 5000;
/** Less growth of the used heap than this between two checks counts as idle. */
const IDLE_GROWTH_BYTES = 1024 * 1024;
/** The young generation V8 starts with (two 1 MiB semi-spaces) is not worth a collection. */
const SMALL_NEW_SPACE_BYTES = 4 * 1024 * 1024;
/** V8 shrinks only once its allocation rate has been low for a few seconds: the first try may be early. */
const TRIES_PER_IDLE_SPELL = 3;

/** Start-up's own garbage is collected this long after the service listens. */
const SETTLE_MS = 1000;

/**
 * Gives memory back after start-up and whenever the service goes idle. V8 grows its heap under
 * load (start-up included) and gives pages back only when its memory reducer runs, 8 s after a
 * collection at the earliest, and only at a low allocation rate, which an idle service may never
 * reach: `npm run bench` measured 146 MiB of RSS that stayed after start. So once, a second after
 * listening, and then every 5 s once the heap has stopped growing (at most three times per idle
 * spell), a full collection that also compacts the old generation empties part-used pages, which
 * V8 then releases (measured: 6–9 MiB less RSS right after start; a plain full collection released
 * none). `gc` is exposed to a context of its own, not to the service's code.
 */
export function releaseMemoryWhenIdle(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const collect = () => {
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      gc();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
  };
  setTimeout(collect, SETTLE_MS).unref();
  let lastUsed = getHeapStatistics().used_heap_size;
  let tries = 0;
  setInterval(() => {
    const used = getHeapStatistics().used_heap_size;
    const idle = used - lastUsed < IDLE_GROWTH_BYTES;
    lastUsed = used;
    if (!idle) {
      tries = 0;
      return;
    }
    if (tries >= TRIES_PER_IDLE_SPELL || newSpaceBytes() <= SMALL_NEW_SPACE_BYTES) return;
    collect();
    tries++;
    lastUsed = getHeapStatistics().used_heap_size;
  }, CHECK_EVERY_MS).unref();
}

function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}
