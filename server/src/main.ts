import { failedToStart, serve } from './serve.js';

/** `npm start` / `npm run start:prod`: the service (see serve.ts); `switchboard serve` runs the same. */
serve().catch(failedToStart);
