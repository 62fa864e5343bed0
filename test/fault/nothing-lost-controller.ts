/**
 * The real controller service (drivers, cycle, metering, outbox, submitter) as a child process on the plant's sped-up
 * clock, so the nothing-lost test can SIGKILL it at any moment. One JSON argument: { config, time } where config is
 * the controller configuration (with its ledger section) and time the ScaledScheduler anchor the plant runs on.
 * The oracle mnemonic comes from GRIDCOOP_ORACLE_MNEMONIC, as in production. Sends { type: 'started' } once running;
 * SIGTERM stops it cleanly.
 */
import { parseControllerConfig } from '@gridcoop/controller/config/index';
import { ScaledScheduler, type ScaledTime } from '@gridcoop/controller/cycle/scaled-scheduler';
import { startController } from '@gridcoop/controller/service/start-controller';

export interface NothingLostControllerArgs {
  config: unknown;
  time: ScaledTime;
}

const args = JSON.parse(process.argv[2] ?? '{}') as NothingLostControllerArgs;
const config = parseControllerConfig(args.config, 'nothing-lost controller configuration');
const running = await startController(config, { scheduler: new ScaledScheduler(args.time), apiPort: 0 });
process.send?.({ type: 'started' });
process.once('SIGTERM', () => {
  running.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
