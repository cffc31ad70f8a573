import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatShanghai } from '../../core/index.js';
import type { AdminSession } from '../admin/admin.js';
import type { Db } from '../db/db.js';
import { SyncRefusal } from '../sync/refusal.js';
import { csvClaim, excelClaim } from './claim.js';
import { settleMonth } from './settlement.js';

const MonthQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) }).strict();

/**
 * The canteen's reports for admins (the session's centre only): the month's settlement as JSON,
 * and the monthly subsidy claim as CSV or Excel.
 */
export function canteenReportRoutes(app: FastifyInstance, o: { db: Db; admin(req: FastifyRequest): Promise<AdminSession>; now(): Date }): void {
  const month = (req: FastifyRequest) => {
    const r = MonthQuery.safeParse(req.query);
    if (!r.success) throw new SyncRefusal('malformed', 400, 'month=YYYY-MM');
    return r.data.month;
  };
  const today = () => formatShanghai(o.now().getTime()).slice(0, 10);
  app.get('/api/admin/canteen/settlement', async (req) => {
    const a = await o.admin(req);
    const s = await settleMonth(o.db, a.centreId, month(req), today());
    // The lines are the claim's (a file); the summary stays small.
    return { ...s, lines: undefined, lineCount: s.lines.length };
  });
  app.get('/api/admin/canteen/claim.:format', async (req, reply) => {
    const a = await o.admin(req);
    const { format } = z.object({ format: z.enum(['csv', 'xlsx']) }).parse(req.params);
    const writer = format === 'csv' ? csvClaim : excelClaim();
    const m = month(req);
    const bytes = await writer.write(await settleMonth(o.db, a.centreId, m, today()));
    return reply.header('content-type', writer.contentType).header('content-disposition', `attachment; filename="canteen-claim-${a.centreId}-${m}.${writer.extension}"`).send(Buffer.from(bytes));
  });
}
