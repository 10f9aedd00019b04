/**
 * npm run demo — the whole thing on one machine, to see it work without a DingTalk or WeCom account (issue 16): a fake
 * DingTalk and a fake WeCom, the service on a fresh SQLite file with the demo organisation, and the chat simulator.
 * It prints one address: a one-time sign-in link that opens the simulator (/演示) as the demo's administrator, where
 * every group and one-to-one chat shows live and anyone can be played. The demo clock runs at DEMO_SPEED (default 60:
 * one simulated hour per real minute — a working day's 3 h and 2 h urges come every two or three minutes, a message is
 * still read before the next one lands, and the one-second reminder tick keeps each reminder within a simulated minute
 * of its instant; 1440 makes a day a minute, too fast to follow). Sign-in links and sessions run on real time whatever
 * the speed (the security clock). The page's strip, or POST /api/demo/clock, changes the speed and moves the clock.
 */
import { startDemo } from './demo/start-demo';

/** The demo clock's default speed: one simulated hour per real minute (see above). */
const DEFAULT_SPEED = 60;

async function main(): Promise<void> {
  const speed = Number(process.env.DEMO_SPEED ?? DEFAULT_SPEED);
  const demo = await startDemo({ speed: Number.isFinite(speed) && speed >= 1 ? speed : DEFAULT_SPEED });
  console.log(`\n督办演示已启动。在浏览器中打开（10分钟内有效，只能使用一次）：\n${await demo.signInLink()}\n按 Ctrl+C 结束。\n`);
  const stop = async () => {
    await demo.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
