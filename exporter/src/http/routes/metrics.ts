import { Router } from 'express';
import type { Registry } from 'prom-client';

/** /metrics reads the latest snapshot only; it never calls AWS. */
export function metricsRoutes(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const body = await registry.metrics();
    res.set('Content-Type', registry.contentType).send(body);
  });
  return router;
}
