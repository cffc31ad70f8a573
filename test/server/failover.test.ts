import { describe, expect, it } from 'vitest';
import { clusterToolsInstalled } from '../support/cluster.js';
import { failoverRun } from '../support/failover.js';

/**
 * The city's layout, for real: HAProxy, two server processes and a pg_auto_failover pair, with
 * three kiosks (the real store and sync client) redeeming through it. Needs Debian's
 * `postgresql-15-auto-failover` and `haproxy`, as the end-to-end tests need `chromium`
 * (`bash .ci/run` installs them).
 */
describe('a server process and then the database primary killed under three kiosks', () => {
  it('loses no acknowledged event and applies none twice: the standby takes over and the kiosks push the rest', async () => {
    expect(clusterToolsInstalled(), 'apt-get install postgresql-15-auto-failover haproxy').toBe(true);
    const said: string[] = [];
    const run = await failoverRun((t) => said.push(t), { events: 600, killServerRound: 1, killPrimaryRound: 3 });
    const r = run.result;
    const context = said.join('\n');
    expect(run.serverKilled, context).toBe(true);
    expect(run.primaryKilled, context).toBeGreaterThan(0);
    // The standby is the primary now, and a push sent after the death was accepted (on it: the old one is dead).
    expect(run.primaryAfter, context).not.toBeNull();
    expect(run.primaryAfter, context).not.toBe(run.primaryKilled);
    expect(run.failoverSeconds, context).toBeGreaterThan(0);
    // Every kiosk settled (nothing waits), so a lost event is one the server acknowledged and lacks.
    expect(r.syncRounds, context).toBeLessThan(50);
    expect(said.some((t) => /synchronous_standby_names = ANY 1/.test(t)), context).toBe(true);
    expect({ lost: r.lost, partly: r.appliedPartly, twice: r.appliedTwice, balances: r.balanceMismatches, stocks: r.stockMismatches, kiosks: r.kioskMismatches, rejected: r.rejected })
      .toEqual({ lost: 0, partly: 0, twice: 0, balances: 0, stocks: 0, kiosks: 0, rejected: 0 });
    expect(r.appliedOnce).toBe(r.events);
    expect(r.events).toBeGreaterThanOrEqual(600);
  }, 240_000);
});
