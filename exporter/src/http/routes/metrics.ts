import { Router } from 'express';
import type { Metrics } from '../../metrics/registry';

/** /metrics reads the latest snapshots only; it never calls AWS. */
export function metricsRoutes(metrics: Metrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const parts = await metrics.render();
    res.set('Content-Type', metrics.contentType);
    res.set('Content-Length', String(parts.reduce((n, p) => n + p.length, 0)));
    for (const part of parts) res.write(part);
    res.end();
  });
  return router;
}
