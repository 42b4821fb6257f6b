/** Injection token: the URL the dedicated LISTEN connection opens (the primary, never a pooler). */
export const LISTEN_DATABASE_URL = Symbol('LISTEN_DATABASE_URL');

/** Injection token of the SWITCHBOARD__<DOMAIN>__<FIELD> overrides, read once at start-up. */
export const ENV_OVERRIDES = Symbol('ENV_OVERRIDES');

/** Injection token of the overrides of registered domains' fields, checked against the registry at start-up. */
export const REGISTERED_OVERRIDES = Symbol('REGISTERED_OVERRIDES');
