/** `npm run build:ui`: builds the governance UI when its build is older than its sources. */
import { ensureUiBuilt } from './build-ui.ts';

const USAGE = `usage: npm run build:ui

Builds the governance UI (SvelteKit, static) into governance-ui/build when the build is missing or older than its
sources (the contracts' client included); otherwise says it is current. npm start and npm test call it themselves.
GRIDCOOP_UI_OUT=<dir> builds elsewhere.`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
} else if (args.length > 0) {
  console.error(`build:ui: unknown argument ${args[0]} (it takes none; see npm run build:ui -- --help)`);
  process.exitCode = 2;
} else {
  try {
    ensureUiBuilt(console.log);
  } catch (error) {
    console.error(`build:ui: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
