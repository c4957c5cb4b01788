/**
 * `FLOWSTATE_TRACING=console`: each ended span as one JSON line on stderr, so a command's stdout
 * (a run id, a result) stays what scripts read (`id=$(flowstate run ...)`). The SDK's
 * ConsoleSpanExporter writes to stdout.
 */
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** `ExportResultCode.SUCCESS` of @opentelemetry/core (not a direct dependency). */
const SUCCESS = 0;

const micros = ([s, ns]: [number, number]) => Math.round(s * 1e6 + ns / 1e3);

/** The fields of a span worth reading at a glance, as ConsoleSpanExporter shows them. */
export function spanLine(span: ReadableSpan): string {
  const ctx = span.spanContext();
  return JSON.stringify({
    traceId: ctx.traceId,
    parentId: span.parentSpanId,
    id: ctx.spanId,
    name: span.name,
    kind: span.kind,
    timestamp: micros(span.startTime),
    duration: micros(span.duration),
    attributes: span.attributes,
    status: span.status,
    service: span.resource.attributes['service.name'],
  });
}

/** A span exporter that writes one line per span to stderr. */
export class StderrSpanExporter implements SpanExporter {
  export(spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    for (const span of spans) process.stderr.write(`${spanLine(span)}\n`);
    done({ code: SUCCESS });
  }

  async shutdown(): Promise<void> {}

  async forceFlush(): Promise<void> {}
}
