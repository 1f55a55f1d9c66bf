import { setMaxListeners } from 'node:events';

/**
 * An AbortController for shutdown that every pending wait listens to: one per target, per request budget,
 * per sleeping poll loop. Hundreds of listeners are expected there, so Node's limit of 10 (meant to catch
 * leaks) is lifted for this signal only.
 */
export function shutdownController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
