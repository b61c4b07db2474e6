/**
 * Load shedding (issue 23 item 8): while the event loop lags past OVERLOAD_LAG_MS, new
 * WebSockets are closed with 1013 and a reason (a stock client retries later), the connections
 * already open carry on, and /metrics counts the refusals. The lag is real: this process's loop
 * (the server runs in it) is kept busy in long turns.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../common/protocol.js';
import { openRaw, synced, waitUntil } from '../helpers/clients.js';
import { useProviderSuite } from '../helpers/provider-suite.js';

/** Holds this process's event loop in turns of `turnMs` until stopped; `lagging` resolves after the first turn. */
function busyLoop(turnMs: number): { lagging: Promise<void>; stop(): void } {
  let firstTurn: () => void = () => undefined;
  const lagging = new Promise<void>((resolve) => (firstTurn = resolve));
  const timer = setInterval(() => {
    const until = performance.now() + turnMs;
    while (performance.now() < until) {
      // Busy on purpose: this is the load.
    }
    firstTurn();
  }, 10);
  return { lagging, stop: () => clearInterval(timer) };
}

describe('load shedding', () => {
  const suite = useProviderSuite({ OVERLOAD_LAG_MS: '150' });

  it('refuses new connections with 1013 while the loop lags, keeps open ones, and counts them', async () => {
    const open = suite.client('overload');
    await synced(open);
    const busy = busyLoop(300);
    let refused;
    try {
      await busy.lagging;
      const late = await openRaw(`${suite.server.wsUrl}/overload`);
      refused = await late.closed;
    } finally {
      busy.stop();
    }
    expect(refused.code).toBe(CloseCode.tryAgainLater);
    expect(refused.reason).toMatch(/too busy/);

    // The open connection was never dropped, and still writes.
    expect(open.provider.wsconnected).toBe(true);
    open.doc.getXmlFragment('default').insert(0, [new Y.XmlElement('paragraph')]);
    await waitUntil(() => (suite.server.app.rooms.peek('overload')?.progress.lastSeq ?? 0) > 0, 'write stored');

    // Once the loop keeps up again, a stock client gets in.
    const later = suite.client('overload');
    await synced(later);
    expect(later.doc.getXmlFragment('default').length).toBe(1);

    const metrics = await (await fetch(`${suite.server.baseUrl}/metrics`)).text();
    expect(Number(/^gatherpad_connections_shed_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(/^gatherpad_event_loop_lag_seconds \d/m);
  });
});
