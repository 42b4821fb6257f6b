/** Injection token of the AuthConfig the module was built with. */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
