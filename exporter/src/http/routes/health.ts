import { Router } from 'express';
import type { ExporterState } from '../../poller/snapshots';

export function healthRoutes(state: ExporterState): Router {
  const router = Router();
  router.get('/-/healthy', (_req, res) => {
    res.type('text/plain').send('Healthy\n');
  });
  router.get('/-/ready', (_req, res) => {
    if (state.ready) res.type('text/plain').send('Ready\n');
    else res.status(503).type('text/plain').send('Not ready: the first poll cycle is still running\n');
  });
  return router;
}
