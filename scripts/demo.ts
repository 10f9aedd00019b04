/**
 * npm run demo — the whole thing on one machine, to see it work without a DingTalk or WeCom account (issue 16): a fake
 * DingTalk and a fake WeCom, the service on a fresh SQLite file with the demo organisation, and the chat simulator.
 * It prints one address: a one-time sign-in link that opens the simulator (/演示) as the demo's administrator, where
 * every group and one-to-one chat shows live and anyone can be played. DEMO_SPEED=60 runs the demo clock faster
 * (sign-in links and sessions are timed on it too, so keep it modest); an admin moves it with POST /api/demo/clock.
 */
import { startDemo } from './demo/start-demo';

async function main(): Promise<void> {
  const demo = await startDemo({ speed: Number(process.env.DEMO_SPEED ?? 1) });
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
