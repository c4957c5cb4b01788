/**
 * `npm run record-histories [-- history...] [--out DIR] [--list]`
 *
 * Records the replay corpus: runs test-kit cases (docs/testing.md) on a dev server of the kit's own
 * and writes each run's history to test/histories/<history>.json (or DIR). The cases are the
 * examples' own (definitions/*.cases.yaml, chosen in EXAMPLES below) and the recorder's scenarios for
 * the interpreter's other paths (test/scenarios/*.cases.yaml: every case, its name the history's). A
 * case's peers are written under their names, its batch child workflows as <history>-batch-<n> (a
 * redrive's as <history>-redrive-batch-<n>).
 * `npm test` replays them against the current workflow code (test/replay), with no server.
 *
 * Histories are committed and re-recorded only on purpose (CONTRIBUTING.md): a history recorded by
 * new workflow code proves nothing about runs started by the old one. Record from committed code.
 * A case that fails is not written: a broken run must never be replayed as if it were intended.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { historyToJSON, type History } from '../src/replay/history-json';
import { formatDiagnostic } from '../src/dsl/diagnostics';
import { formatFailures, loadCasesFile, TestKit, type CasesFile, type ResolvedCase } from '../src/testkit';

const ROOT = path.resolve(__dirname, '..');
const SCENARIOS = 'test/scenarios';
const USAGE = 'usage: record-histories [history...] [--out DIR] [--list]';

/** The examples' cases the corpus records: by cases file in definitions/, history name -> case name. */
const EXAMPLES: Record<string, Record<string, string>> = {
  hello: { hello: 'greets with the real tools' },
  'parallel-analysis': { 'parallel-analysis': 'three scans at once, merged' },
  'support-router': {
    'support-router-inline-route': 'a bug takes the inline route, then the flow goes on',
    'support-router-jump': 'a question jumps to the FAQ task',
  },
  'per-item-pipeline': {
    'per-item-pipeline': 'the empty document is filtered out; each item reads its own sibling',
  },
  'release-checklist': {
    'release-checklist': 'a release has notes',
    'release-checklist-hotfix': 'a hotfix skips the notes (if is false, the output is null)',
  },
  'retry-until-healthy': {
    'retry-until-healthy': 'healthy on the third probe',
    'retry-until-healthy-exhausted': 'never healthy, the loop stops at max_iterations',
  },
  'order-saga': {
    'order-saga-completed': 'reserve, charge, ship',
    'order-saga-compensated': 'payment declined releases the stock',
    'order-saga-shipping-compensated': 'shipping failed refunds, then releases (reverse order)',
  },
  'document-approval': {
    'document-approval-approved': 'approved at once',
    'document-approval-rejected-then-approved':
      'rejected, revised with the comment, then approved by the chief',
  },
  'discovery-to-architecture': {
    'discovery-to-architecture':
      "every document approved, the epics' gates in reverse order, one revision each level",
  },
  'spec-execution': { 'spec-execution': 'incomplete evidence is refused, then every phase is completed' },
  'document-approval-escalation': {
    'document-approval-escalation-approved': 'the editor approves in time',
    'document-approval-escalation-escalated': 'nobody decides in two days, the chief approves the escalation',
  },
  'code-generation': { 'code-generation': 'one change requested, then approved' },
  'etl-paged': { 'etl-paged': 'three pages of the sample source, one invalid email rejected' },
  'map-reduce': { 'map-reduce': 'counts every document, the blank one fails alone' },
  'parallel-analysis-agents': {
    'parallel-analysis-agents': 'three agents at once, findings merged and counted',
  },
  'scheduled-report': { 'scheduled-report': 'a healthy day is reported' },
  'smart-router': { 'smart-router': 'a bug goes to the triage agent' },
  'tolerant-word-count': {
    'tolerant-word-count': 'one blank document in ten is tolerated',
    'tolerant-word-count-exceeded':
      'two failures in ten are too many; the slow document still running is cancelled',
  },
  'contract-review': { 'contract-review': 'the lawyer approves through the parent run' },
};

/** One history to record: the case whose run it is, and the peers written beside it. */
interface Recording {
  history: string;
  /** The cases file, relative to the repository. */
  file: string;
  case: ResolvedCase;
  peers: string[];
}

const casesFiles = new Map<string, CasesFile>();
function casesOf(file: string): CasesFile {
  let cases = casesFiles.get(file);
  if (!cases) {
    const loaded = loadCasesFile(path.join(ROOT, file));
    if (!loaded.ok) throw new Error(`invalid cases file:\n${loaded.errors.map(formatDiagnostic).join('\n')}`);
    casesFiles.set(file, (cases = loaded.cases));
  }
  return cases;
}

function recording(history: string, file: string, name: string): Recording {
  const found = casesOf(file).cases.find((c) => c.name === name);
  if (!found) throw new Error(`${file} has no case '${name}' (for ${history}.json)`);
  return { history, file, case: found, peers: Object.keys(found.peers) };
}

/** Every history the recorder knows, examples first. */
function recordings(): Recording[] {
  const examples = Object.entries(EXAMPLES).flatMap(([example, cases]) =>
    Object.entries(cases).map(([history, name]) =>
      recording(history, `definitions/${example}.cases.yaml`, name),
    ),
  );
  const scenarios = fs
    .readdirSync(path.join(ROOT, SCENARIOS))
    .filter((f) => f.endsWith('.cases.yaml'))
    .sort()
    .flatMap((f) =>
      casesOf(`${SCENARIOS}/${f}`).cases.map((c) => recording(c.name, `${SCENARIOS}/${f}`, c.name)),
    );
  return [...examples, ...scenarios];
}

/** The files a recording writes (its batch children's are known once it ran); a redrive case's redrive too. */
const filesOf = (r: Recording) => [
  r.history,
  ...r.peers,
  ...(r.case.redrive ? [`${r.history}-redrive`] : []),
];

/** The corpus's table: each history with its cases file and case (batch children as found in `out`). */
function readme(all: Recording[], out: string): string {
  const present = fs.readdirSync(out);
  const rows = all.map((r) => {
    const children = present
      .filter((f) => f.startsWith(`${r.history}-batch-`) || f.startsWith(`${r.history}-redrive-batch-`))
      .map((f) => f.slice(0, -5));
    const files = [...filesOf(r), ...children].map((f) => `\`${f}.json\``);
    const about = r.case.description ? ` — ${r.case.description.replace(/\s+/g, ' ')}` : '';
    return `| ${files.join(', ')} | ${r.file} | ${r.case.name}${about} |`;
  });
  return `# Recorded histories

Written by \`npm run record-histories\` (scripts/record-histories.ts) and replayed by \`npm test\`
(test/replay) against the current workflow code, with no server. Do not edit them by hand and do not
re-record them to make a failing replay pass: a failing replay means the change would break runs
already in flight. See CONTRIBUTING.md.

Each history is the run of a test-kit case (docs/testing.md): an example's own case
(definitions/*.cases.yaml) or one of the recorder's scenarios (test/scenarios/*.cases.yaml, each
case named as its history). A case's peers are written under their names, its batch child workflows
as \`<history>-batch-<n>.json\` (a redrive's as \`<history>-redrive-batch-<n>.json\`).

| history | cases file | case |
| --- | --- | --- |
${rows.join('\n')}
`;
}

function parseArgs(argv: string[]): { names: string[]; out: string; list: boolean } {
  const names: string[] = [];
  let out = path.join(ROOT, 'test/histories');
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') {
      if (argv[i + 1] === undefined) throw new Error(`--out needs a directory; ${USAGE}`);
      out = path.resolve(argv[++i]);
    } else if (a === '--list') list = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}; ${USAGE}`);
    else names.push(a);
  }
  return { names, out, list };
}

/** Ids of the batch child workflows a run started (`<id>/<path>#<n>`), with the file each is written to. */
function batchChildren(history: History, name: string): Array<{ id: string; file: string }> {
  return (history.events ?? []).flatMap((e) => {
    const child = e.startChildWorkflowExecutionInitiatedEventAttributes;
    if (child?.workflowType?.name !== 'interpretRuns' || !child.workflowId) return [];
    return [{ id: child.workflowId, file: `${name}-batch-${/#(\d+)$/.exec(child.workflowId)?.[1] ?? '0'}` }];
  });
}

/** Write the histories of a recorded case: its run, its peers', its batch children's, its redrive's and its batch children's. */
async function writeRuns(client: Client, r: Recording, out: string, started: number): Promise<void> {
  const write = (file: string, history: History) => {
    const target = path.join(out, `${file}.json`);
    fs.writeFileSync(target, `${historyToJSON(history)}\n`);
    const size = fs.statSync(target).size;
    console.log(
      `  ${file}.json: ${history.events?.length} events, ${size} bytes (${Date.now() - started} ms)`,
    );
  };
  const fetch = (id: string) => client.workflow.getHandle(id).fetchHistory();
  const run = await fetch(r.history);
  write(r.history, run);
  for (const peer of r.peers) write(peer, await fetch(peer));
  for (const child of batchChildren(run, r.history)) write(child.file, await fetch(child.id));
  if (!r.case.redrive) return;
  const redrive = await fetch(`${r.history}-redrive`);
  write(`${r.history}-redrive`, redrive);
  for (const child of batchChildren(redrive, `${r.history}-redrive`))
    write(child.file, await fetch(child.id));
}

async function main(): Promise<void> {
  const { names, out, list } = parseArgs(process.argv.slice(2));
  const all = recordings();
  if (list) {
    for (const r of all) console.log(`${filesOf(r).join(', ').padEnd(42)} ${r.file}: ${r.case.name}`);
    return;
  }
  const known = all.flatMap(filesOf);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) throw new Error(`unknown history ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const chosen = names.length ? all.filter((r) => filesOf(r).some((f) => names.includes(f))) : all;

  // Expected failures (declined payments, cancelled branches) would log as warnings: keep the output to the point.
  const logging = { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }), forward: {} };
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging } });
  const started = Date.now();
  const kit = await TestKit.start({ log: (line) => console.log(`record-histories: ${line}`) });
  const connection = await Connection.connect({ address: kit.address });
  const client = new Client({ connection });
  const failed: string[] = [];
  try {
    fs.mkdirSync(out, { recursive: true });
    for (const file of new Set(chosen.map((r) => r.file))) {
      const session = await kit.session(casesOf(file), { sourceRoot: ROOT, taskQueue: 'flowstate-record' });
      try {
        for (const r of chosen.filter((x) => x.file === file)) {
          const t = Date.now();
          const peerIds = Object.fromEntries(r.peers.map((p) => [p, p]));
          const result = await session.run(r.case, { workflowId: r.history, peerIds });
          if (!result.ok) {
            failed.push(r.history);
            console.error(
              `  ${r.history}: NOT RECORDED (${file}: ${r.case.name}):\n${formatFailures(result.failures)}`,
            );
            continue;
          }
          await writeRuns(client, r, out, t);
        }
      } finally {
        await session.close();
      }
    }
    fs.writeFileSync(path.join(out, 'README.md'), readme(all, out));
  } finally {
    await connection.close();
    await kit.close();
  }
  const where = path.relative(process.cwd(), out) || '.';
  console.log(
    `record-histories: ${chosen.length - failed.length} of ${chosen.length} cases recorded to ${where} in ${Date.now() - started} ms`,
  );
  if (failed.length) throw new Error(`not recorded: ${failed.join(', ')}`);
}

main().catch((e) => {
  console.error(`record-histories: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
