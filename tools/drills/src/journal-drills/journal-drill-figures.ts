import type { JournalDrillResult } from './run-journal-drill.js';

const round = (value: number | undefined): number | null => (value === undefined || Number.isNaN(value) ? null : Math.round(value * 10) / 10);

/** The figures of a journal drill that `pnpm drill` and the tests print: flat, rounded, JSON-ready. */
export function journalDrillFigures(result: JournalDrillResult): Record<string, unknown> {
  return {
    requests: result.summary.requests,
    clientErrors: result.summary.clientErrors,
    clientErrorsOutsideGatewayRestart: result.clientErrorsOutsideGatewayRestart,
    failoverMs: round(result.summary.failoverMs),
    p99DuringFaultMs: round(result.summary.duringFault.p99Ms),
    backlogPeak: result.backlogPeak,
    replayPerSecond: round(result.replayPerSecond),
    replayStartedAfterMs: round(result.replayStartedAfterMs),
    convergeMs: round(result.convergeMs),
    acknowledgedAdds: result.acknowledgedAdds,
    acknowledgedDeletes: result.acknowledgedDeletes,
    deletesDuringOutage: result.deletesDuringOutage,
    retriedAdds: result.retriedAdds.length,
    history: result.check.counts,
    ownReads: { seen: result.ownReads.seen, missed: result.ownReads.missed },
    deletedReadable: result.finalReads.reduce((total, read) => total + read.deletedReadable.length, 0),
    servedBy: result.summary.servedBy,
    // Error samples with their start relative to the primary's crash (ms), to tell the phases apart.
    errorSamples: result.errorSamples.map((record) => ({ sinceCrashMs: round(record.startedAt - result.phases.faultAt), status: record.status, provider: record.provider, fallbacks: record.fallbacks, error: record.error })),
    ...(result.gatewayCrash ? { gatewayCrash: { ...result.gatewayCrash, downMs: round(result.gatewayCrash.downMs) } } : {}),
  };
}
