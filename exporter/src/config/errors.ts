/** A configuration problem: start-up stops with this one-line message and a non-zero exit. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
