import highsModule from 'highs';
import type highsLoaderType from 'highs';

type HighsLoader = typeof highsLoaderType extends { default: infer F } ? F : typeof highsLoaderType;
export type Highs = Awaited<ReturnType<HighsLoader>>;

// highs is CommonJS whose module.exports is the loader; TypeScript's NodeNext view of its `export default` sees a
// namespace instead, so the one cast lives here.
export function loadHighs(): Promise<Highs> {
  const loader = ((highsModule as unknown as { default?: HighsLoader }).default ??
    highsModule) as unknown as HighsLoader;
  return loader();
}
