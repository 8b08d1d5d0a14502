import { createRequire } from 'node:module';

type YamlModule = typeof import('yaml');
let loaded: YamlModule | undefined;

/**
 * The yaml module, loaded on first use. Loading it costs more than a hook with nothing to do
 * may spend, and most runs find every pointer in the pointer cache, so it is not imported at
 * the top of any module. require() keeps parsing synchronous.
 */
export function yaml(): YamlModule {
  loaded ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return loaded;
}
