import express, { type Express, type Router } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/registry';
import type { ExporterState } from '../poller/snapshots';
import { errorHandler } from './errors';
import { healthRoutes } from './routes/health';
import { landingRoutes } from './routes/landing';
import { metricsRoutes } from './routes/metrics';

export interface AppDependencies {
  metrics: Metrics;
  state: ExporterState;
  log: Logger;
  api: Router;
}

/** Builds the HTTP app; it never listens (main.ts and the tests do). */
export function createApp({ metrics, state, log, api }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(landingRoutes());
  app.use(healthRoutes(state));
  app.use(metricsRoutes(metrics));
  app.use('/api/v1', api);
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'not found' } });
  });
  app.use(errorHandler(log));
  return app;
}
