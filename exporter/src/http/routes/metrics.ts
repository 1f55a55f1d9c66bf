import { Router } from 'express';
import type { Metrics } from '../../metrics/registry';

/** /metrics reads the latest snapshots only; it never calls AWS. */
export function metricsRoutes(metrics: Metrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const body = await metrics.render();
    res.set('Content-Type', metrics.contentType).send(body);
  });
  return router;
}
