/**
 * `npm run build`'s second step: bundle the interpreter's workflow code ahead, into
 * dist/workflow-bundle.js with its manifest (dist/workflow-bundle.json: the content hash of every
 * input), so a worker starts without webpack (src/workflow-bundle.ts decides, at start, whether the
 * bundle still matches the sources).
 */
import { PREBUILT_BUNDLE, writeBundle } from '../src/workflow-bundle';

async function main(): Promise<void> {
  const started = Date.now();
  const manifest = await writeBundle(PREBUILT_BUNDLE);
  const inputs = Object.keys(manifest.inputs).length;
  process.stdout.write(
    `workflow bundle: ${PREBUILT_BUNDLE} (${inputs} inputs, hash ${manifest.hash}, ${Date.now() - started} ms)\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`workflow bundle: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
